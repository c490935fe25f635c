// S3 object tags, added to fauxqs, which keeps none: tags sent with an object (x-amz-tagging on PUT, as the SDKs send a
// PutObject's TagSet) are remembered for that key once S3 would have stored it, GET ?tagging answers them as
// GetObjectTagging does, and a deleted or overwritten object loses them. Lifecycle rules are not run here.
const tagsByObject = new Map();

/** Adds object tagging to a fauxqs Fastify app (path-style requests: /bucket/key). */
export function keepObjectTags(app) {
  app.addHook("onRequest", async (request, reply) => {
    const url = new URL(request.raw.url, "http://local");
    if (request.method === "GET" && url.searchParams.has("tagging") && !url.searchParams.has("X-Amz-Signature")) {
      const tags = tagsByObject.get(objectOf(url)) ?? [];
      const tagSet = tags.map(([key, value]) => `<Tag><Key>${escapeXml(key)}</Key><Value>${escapeXml(value)}</Value></Tag>`).join("");
      return reply.code(200).header("content-type", "application/xml")
        .send(`<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>${tagSet}</TagSet></Tagging>`);
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    const url = new URL(request.raw.url, "http://local");
    if (reply.statusCode >= 300 || url.searchParams.has("tagging") || url.searchParams.has("uploadId")) {
      return;
    }
    const object = objectOf(url);
    if (request.method === "PUT") {
      const header = request.headers["x-amz-tagging"];
      if (header) {
        tagsByObject.set(object, [...new URLSearchParams(header)]);
      } else {
        tagsByObject.delete(object);
      }
    } else if (request.method === "DELETE") {
      tagsByObject.delete(object);
    }
  });
}

function objectOf(url) {
  return decodeURIComponent(url.pathname);
}

function escapeXml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
