// The provider middleware for Fastify (5): a route handler that serves signed, paid inference requests with receipts
// (core.ts does the work). Fastify parses the JSON body itself; raise its `bodyLimit` (default 1 MiB) for batches of
// inputs sent as JSON numbers.
//
//   app.post("/infer", { bodyLimit: MAX_BODY_BYTES }, curiaFastify(core, infer));
import type { FastifyReply, FastifyRequest } from "fastify";
import type { InferFunction, ProviderCore } from "./core.js";

export function curiaFastify(
  core: ProviderCore,
  infer: InferFunction,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const { status, body } = await core.serve(request.body, infer);
    await reply.code(status).send(body);
  };
}
