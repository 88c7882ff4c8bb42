// Preloaded (`node --import`) into the Hardhat nodes that the tests start: their HTTP server keeps an idle keep-alive
// connection open until the client closes it, instead of closing it itself after 5 s (+ Node's 1 s buffer).
//
// Why: a client whose event loop is busy when that timer fires (a test training or running a model, a GC pause on a
// loaded machine) still holds the connection as idle and writes its next request on it; the server has already closed
// it, and the client fails with undici's `SocketError: other side closed` (Hardhat's HTTP provider does not retry a
// POST). A client that closes its own idle connections cannot race with itself: undici and node:http's agent both do.
// Plain JavaScript: Node loads it before anything else, without tsx.
import http from "node:http";

const createServer = http.createServer;
http.createServer = function createServerKeepingIdleConnections(...args) {
  const server = createServer.apply(this, args);
  // 0 disables the server's keep-alive timeout (Node's documented value for "never").
  server.keepAliveTimeout = 0;
  return server;
};
