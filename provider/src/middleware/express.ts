// The provider middleware for Express (4 or 5): a route handler that serves signed, paid inference requests with
// receipts (core.ts does the work). It takes the body Express's JSON parser left in `req.body`; mount
// `express.json({ limit: "64mb" })` before it (the default 100 kB holds only a few MNIST inputs as JSON numbers).
//
//   app.post("/infer", express.json({ limit: "64mb" }), curiaExpress(core, infer));
import type { NextFunction, Request, Response } from "express";
import { HttpError, type InferFunction, type ProviderCore } from "./core.js";

export function curiaExpress(
  core: ProviderCore,
  infer: InferFunction,
): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  return async (req, res) => {
    const { status, body } =
      req.body !== undefined
        ? await core.serve(req.body, infer)
        : core.errorResponse(
            new HttpError(400, "bad_json", "send the request as application/json (and mount express.json() before)"),
          );
    res.status(status).json(body);
  };
}
