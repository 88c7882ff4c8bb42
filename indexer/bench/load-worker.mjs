// Load client of `npm run bench:indexer`, run in a worker thread: `clients` keep-alive connections POST `bodies` to
// `url` one request per connection at a time, and the latency of each request is recorded (ms, by body index).
//
// Two clients, so that the figures say how much of a latency is the client's own:
// - "raw": requests pre-encoded as bytes, written to a socket, each response framed by its Content-Length. It costs
//   the machine little per request, as wrk or autocannon do.
// - "node:http": node:http's client with a keep-alive agent, what a Node application would use. On this 2-core
//   machine it needs most of a core at ~5,000 requests/s and its own queueing shows in the tail.
// Either fails the run on a status other than 200 or a body with GraphQL `errors`.
import http from "node:http";
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";

const { url, clients, bodies, client } = workerData;
const target = new URL(url);
const latencies = new Float64Array(bodies.length);
let next = 0;

function rawConnection() {
  const requests = bodies;
  const errors = Buffer.from('"errors"');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    let current = -1;
    let started = 0;
    let buffered = null;
    let end = -1; // where the current response ends in `buffered`, once its head is read
    let bodyStart = 0;
    const fail = (message) => {
      socket.destroy();
      reject(new Error(message));
    };
    const sendNext = () => {
      if (next >= requests.length) {
        socket.end();
        resolve();
        return;
      }
      current = next++;
      started = performance.now();
      socket.write(requests[current]);
    };
    socket.once("connect", sendNext);
    socket.on("data", (chunk) => {
      buffered = buffered === null ? chunk : Buffer.concat([buffered, chunk]);
      if (end < 0) {
        const headEnd = buffered.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const head = buffered.toString("latin1", 0, headEnd);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!head.startsWith("HTTP/1.1 200 ")) return fail(head.split("\r\n")[0]);
        if (length === null) return fail(`a response without Content-Length: ${head}`);
        bodyStart = headEnd + 4;
        end = bodyStart + Number(length[1]);
      }
      if (buffered.length < end) return;
      const errorAt = buffered.indexOf(errors, bodyStart);
      if (errorAt >= 0 && errorAt < end)
        return fail(buffered.toString("utf8", bodyStart, Math.min(end, bodyStart + 500)));
      latencies[current] = performance.now() - started;
      buffered = buffered.length > end ? buffered.subarray(end) : null;
      end = -1;
      sendNext();
    });
    socket.on("error", reject);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
function nodeHttpPost(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200 || text.includes('"errors"')) reject(new Error(text.slice(0, 500)));
          else resolve();
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
async function nodeHttpConnection() {
  while (next < bodies.length) {
    const i = next++;
    const started = performance.now();
    await nodeHttpPost(bodies[i]);
    latencies[i] = performance.now() - started;
  }
}

const started = performance.now();
Promise.all(Array.from({ length: clients }, client === "raw" ? rawConnection : nodeHttpConnection)).then(
  () => {
    parentPort.postMessage({ latencies, seconds: (performance.now() - started) / 1000 });
    agent.destroy();
  },
  (error) => {
    parentPort.postMessage({ error: String(error?.message ?? error) });
    agent.destroy();
  },
);
