// What S3 enforces on a presigned (query-string SigV4) request, added to fauxqs, which verifies no signatures:
//   - the signature over the request as it arrives (method, path, query, every signed header with the value sent:
//     a content-type or content-length other than the signed one changes the signature, so S3 answers 403
//     SignatureDoesNotMatch, and so does this);
//   - expiry (X-Amz-Date + X-Amz-Expires): 403 AccessDenied "Request has expired";
//   - CORS for browsers: preflights answered here, and Access-Control-Allow-Origin on every S3 answer, as a bucket CORS
//     rule allowing any origin to PUT and GET would.
// Requests signed in the Authorization header (the SDKs) pass through unchecked, as before.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const algorithm = "AWS4-HMAC-SHA256";

/** Adds the checks to a fauxqs Fastify app. secretFor(accessKey) returns the secret key, or undefined for an unknown key. */
export function enforcePresignedUrls(app, secretFor, now = () => Date.now()) {
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (origin) {
      reply.header("access-control-allow-origin", "*");
      reply.header("access-control-expose-headers", "etag, x-amz-request-id");
    }
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"]) {
      reply.header("access-control-allow-methods", "GET, PUT, HEAD");
      reply.header("access-control-allow-headers", request.headers["access-control-request-headers"] ?? "*");
      reply.header("access-control-max-age", "600");
      return reply.code(200).send();
    }
    const query = new URL(request.raw.url, "http://local").searchParams;
    if (!query.has("X-Amz-Signature")) {
      return;
    }
    const refusal = check(request, query, secretFor, now());
    if (refusal) {
      return reply.code(403).header("content-type", "application/xml").send(errorXml(refusal.code, refusal.message));
    }
  });
}

function check(request, query, secretFor, nowMs) {
  if (query.get("X-Amz-Algorithm") !== algorithm) {
    return { code: "AuthorizationQueryParametersError", message: `X-Amz-Algorithm must be ${algorithm}.` };
  }
  const [accessKey, date, region, service] = (query.get("X-Amz-Credential") ?? "").split("/");
  const secret = secretFor(accessKey);
  if (secret === undefined) {
    return { code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records." };
  }
  const amzDate = query.get("X-Amz-Date") ?? "";
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const expires = Number(query.get("X-Amz-Expires"));
  if (Number.isNaN(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604800) {
    return { code: "AuthorizationQueryParametersError", message: "X-Amz-Date and X-Amz-Expires (1 to 604800) are required." };
  }
  if (nowMs > signedAt + expires * 1000) {
    return { code: "AccessDenied", message: "Request has expired" };
  }
  const signedHeaders = (query.get("X-Amz-SignedHeaders") ?? "").split(";");
  if (!signedHeaders.includes("host")) {
    return { code: "AuthorizationQueryParametersError", message: "X-Amz-SignedHeaders must include host." };
  }
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join("");
  const canonicalRequest = [
    request.method,
    request.raw.url.split("?")[0],
    canonicalQuery(request.raw.url),
    canonicalHeaders,
    signedHeaders.join(";"),
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [algorithm, amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = ["aws4_request"].reduce(
    (k, part) => hmac(k, part),
    [date, region, service].reduce((k, part) => hmac(k, part), Buffer.from(`AWS4${secret}`)));
  const expected = Buffer.from(createHmac("sha256", key).update(stringToSign).digest("hex"));
  const presented = Buffer.from(query.get("X-Amz-Signature") ?? "");
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
    return { code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided." };
  }
  return undefined;
}

function canonicalQuery(url) {
  const raw = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  return raw.split("&").filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = decodeURIComponent(eq < 0 ? "" : pair.slice(eq + 1));
      return [encode(name), encode(value)];
    })
    .filter(([name]) => name !== "X-Amz-Signature")
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(value) {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined.trim().replace(/\s+/g, " ");
}

function hmac(key, data) {
  return createHmac("sha256", key).update(data).digest();
}

function sha256Hex(text) {
  return createHash("sha256").update(text).digest("hex");
}

function errorXml(code, message) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}
