// A local AWS AppSync Events API: HTTP publish (POST /event) and the real-time WebSocket (/event/realtime, subprotocol
// aws-appsync-event-ws), both authorized with IAM (SigV4, service appsync) as AppSync checks it:
//   - publish: the request's own signed headers;
//   - connect: the signed headers of a POST /event with body {} in the "header-<base64url JSON>" subprotocol;
//   - subscribe: the signed headers of a POST /event with body {"channel":"..."} in the message's "authorization".
// Channels are /<namespace>/<segment>... (1 to 5 segments of letters, digits and dashes, at most 50 each); only the
// namespaces given (--namespaces tasks,other) exist. Published events are fanned out to every subscription whose
// channel matches (a subscription may end in /*). Keep-alives ("ka") every --ka-ms (default 60000).
import http from "node:http";
import crypto from "node:crypto";
import { WebSocketServer } from "ws";

const Subprotocol = "aws-appsync-event-ws";
const Segment = /^[A-Za-z0-9-]{1,50}$/;

export function startAppSyncEvents({ port = 0, host = "127.0.0.1", namespaces = ["tasks"], accessKey = "test", secretKey = "test", region = "us-east-1", kaMs = 60000 } = {}) {
  const subscriptions = new Map(); // "<socket id>:<subscription id>" -> { socket, id, channel }
  const sockets = new Set();
  let nextSocket = 0;

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== "POST" || new URL(req.url, "http://x").pathname !== "/event") {
      return answer(res, 404, { errors: [{ errorType: "NotFoundException", message: `No such route: ${req.method} ${req.url}` }] });
    }
    const denied = verify(req.headers, body);
    if (denied) {
      return answer(res, 401, { errors: [{ errorType: "UnauthorizedException", message: denied }] });
    }
    let request;
    try { request = JSON.parse(body); } catch { return answer(res, 400, badRequest("The body is not JSON.")); }
    const channelError = checkChannel(request.channel, false);
    if (channelError) return answer(res, 400, badRequest(channelError));
    if (!Array.isArray(request.events) || request.events.length < 1 || request.events.length > 5) {
      return answer(res, 400, badRequest("events must hold 1 to 5 events."));
    }
    const successful = [];
    const failed = [];
    request.events.forEach((event, index) => {
      const identifier = crypto.randomUUID();
      if (typeof event !== "string" || !isJson(event)) {
        failed.push({ identifier, index, code: 400, message: "An event must be a string holding JSON." });
        return;
      }
      for (const subscription of subscriptions.values()) {
        if (matches(subscription.channel, request.channel)) {
          send(subscription.socket, { type: "data", id: subscription.id, event });
        }
      }
      successful.push({ identifier, index });
    });
    answer(res, 200, { failed, successful });
  });

  const realtime = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(Subprotocol) ? Subprotocol : false),
  });

  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url, "http://x").pathname !== "/event/realtime") {
      return refuseUpgrade(socket, 404, "Not Found");
    }
    const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    const header = offered.find((p) => p.startsWith("header-"));
    if (!offered.includes(Subprotocol) || !header) {
      return refuseUpgrade(socket, 400, "Bad Request");
    }
    let authorization;
    try {
      authorization = JSON.parse(Buffer.from(header.slice("header-".length), "base64url").toString("utf8"));
    } catch {
      return refuseUpgrade(socket, 401, "Unauthorized");
    }
    if (verify(lowercase(authorization), "{}")) {
      return refuseUpgrade(socket, 401, "Unauthorized");
    }
    realtime.handleUpgrade(req, socket, head, (ws) => realtime.emit("connection", ws));
  });

  realtime.on("connection", (ws) => {
    ws.sdId = String(nextSocket++);
    ws.initialized = false;
    sockets.add(ws);
    const keepAlive = setInterval(() => send(ws, { type: "ka" }), kaMs);
    ws.on("close", () => {
      clearInterval(keepAlive);
      sockets.delete(ws);
      for (const [key, subscription] of subscriptions) {
        if (subscription.socket === ws) subscriptions.delete(key);
      }
    });
    ws.on("message", (data) => {
      let message;
      try { message = JSON.parse(data.toString("utf8")); } catch { return send(ws, { type: "error", errors: [{ errorType: "BadRequestException", message: "Not JSON." }] }); }
      switch (message.type) {
        case "connection_init":
          ws.initialized = true;
          return send(ws, { type: "connection_ack", connectionTimeoutMs: 300000 });
        case "subscribe": {
          const refuse = (errorType, text) => send(ws, { type: "subscribe_error", id: message.id, errors: [{ errorType, message: text }] });
          if (!ws.initialized) return refuse("BadRequestException", "connection_init was not sent.");
          if (typeof message.id !== "string" || message.id.length === 0) return refuse("BadRequestException", "A subscribe needs an id.");
          const channelError = checkChannel(message.channel, true);
          if (channelError) return refuse("BadRequestException", channelError);
          const denied = verify(lowercase(message.authorization ?? {}), JSON.stringify({ channel: message.channel }));
          if (denied) return refuse("UnauthorizedException", denied);
          subscriptions.set(`${ws.sdId}:${message.id}`, { socket: ws, id: message.id, channel: message.channel });
          return send(ws, { type: "subscribe_success", id: message.id });
        }
        case "unsubscribe": {
          const key = `${ws.sdId}:${message.id}`;
          if (!subscriptions.delete(key)) {
            return send(ws, { type: "unsubscribe_error", id: message.id, errors: [{ errorType: "UnknownOperationError", message: "No such subscription." }] });
          }
          return send(ws, { type: "unsubscribe_success", id: message.id });
        }
        default:
          return send(ws, { type: "error", id: message.id, errors: [{ errorType: "UnsupportedOperation", message: `Unknown message type '${message.type}'.` }] });
      }
    });
  });

  // SigV4 as AppSync checks it: the signature over POST /event, the signed headers as given, and the body.
  function verify(headers, body) {
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/appsync\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? "");
    if (!match) return "Missing or malformed SigV4 authorization (service appsync).";
    const [, key, date, signedRegion, signedHeaders, signature] = match;
    if (key !== accessKey) return `Unknown access key ${key}.`;
    if (signedRegion !== region) return `Signed for region ${signedRegion}, not ${region}.`;
    const amzDate = headers["x-amz-date"];
    if (!amzDate || !amzDate.startsWith(date)) return "x-amz-date is missing or not the credential's date.";
    const names = signedHeaders.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) return "host and x-amz-date must be signed.";
    if (names.some((name) => headers[name] === undefined)) return "A signed header is missing.";
    const canonical = [
      "POST", "/event", "",
      names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, " ")}\n`).join(""),
      signedHeaders,
      sha256(body),
    ].join("\n");
    const scope = `${date}/${region}/appsync/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
    let signingKey = hmac(`AWS4${secretKey}`, date);
    for (const part of [region, "appsync", "aws4_request"]) signingKey = hmac(signingKey, part);
    const expected = crypto.createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
    return expected === signature ? null : "The signature does not match.";
  }

  function checkChannel(channel, subscribing) {
    if (typeof channel !== "string" || !channel.startsWith("/")) return "channel must be a path such as /namespace/name.";
    const segments = channel.slice(1).split("/");
    const last = segments.length - 1;
    if (segments.length < 1 || segments.length > 5) return "A channel has 1 to 5 segments.";
    if (!segments.every((s, i) => Segment.test(s) || (subscribing && i === last && i > 0 && s === "*"))) return `Invalid channel ${channel}.`;
    if (!namespaces.includes(segments[0])) return `No channel namespace '${segments[0]}'.`;
    return null;
  }

  return new Promise((resolve) => {
    server.listen(port, host, () => resolve({
      address: `http://${host}:${server.address().port}`,
      close: () => { for (const ws of sockets) ws.terminate(); server.close(); },
    }));
  });
}

function matches(subscribed, published) {
  return subscribed.endsWith("/*") ? published.startsWith(subscribed.slice(0, -1)) : subscribed === published;
}

function send(ws, message) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function badRequest(message) {
  return { errors: [{ errorType: "BadRequestException", message }] };
}

function refuseUpgrade(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function lowercase(headers) {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function isJson(text) {
  try { JSON.parse(text); return true; } catch { return false; }
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const sha256 = (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key, text) => crypto.createHmac("sha256", key).update(text, "utf8").digest();
