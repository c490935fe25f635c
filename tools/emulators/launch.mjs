// Starts one local AWS emulator bound to 127.0.0.1.
//   node launch.mjs fauxqs   --port 4566   (SQS, SNS, S3)
//   node launch.mjs dynalite --port 4567   (DynamoDB)
//   node launch.mjs appsync-events --port 4568   (AppSync Events: HTTP publish and the real-time WebSocket; appsync-events.mjs)
// --port 0 picks a free port. Prints one line "READY <service> http://127.0.0.1:<port>" once listening.
// fauxqs checks presigned S3 URLs (signature, expiry, signed content-type and content-length) and answers CORS, as S3
// does for a bucket with a CORS rule; --access-key/--secret-key name the one key it knows (default test/test). It keeps
// object tags sent with a PUT and answers GetObjectTagging (object-tagging.mjs).
// --parent-pid <pid> makes the emulator exit when that process is gone, so a crashed test run leaves nothing behind.
import { createRequire } from "node:module";
import { enforcePresignedUrls } from "./presigned-s3.mjs";
import { keepObjectTags } from "./object-tagging.mjs";
import { startAppSyncEvents } from "./appsync-events.mjs";

const require = createRequire(import.meta.url);
const args = parseArgs(process.argv.slice(2));
const host = "127.0.0.1";

if (args.parentPid) watchParent(Number(args.parentPid));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));

switch (args.service) {
  case "fauxqs":
    await startFauxqs(Number(args.port ?? 4566));
    break;
  case "dynalite":
    startDynalite(Number(args.port ?? 4567), Number(args.createTableMs ?? 0));
    break;
  case "appsync-events": {
    const events = await startAppSyncEvents({
      port: Number(args.port ?? 4568),
      host,
      namespaces: (args.namespaces ?? "tasks").split(","),
      accessKey: args.accessKey ?? "test",
      secretKey: args.secretKey ?? "test",
      region: args.region ?? "us-east-1",
      kaMs: Number(args.kaMs ?? 60000),
    });
    console.log(`READY appsync-events ${events.address}`);
    break;
  }
  default:
    console.error(`usage: node launch.mjs <fauxqs|dynalite|appsync-events> [--port N] [--parent-pid PID]; unknown service '${args.service ?? ""}'`);
    process.exit(2);
}

async function startFauxqs(port) {
  const { buildApp } = await import("fauxqs");
  const app = buildApp({ logger: args.verbose === "true", defaultRegion: args.region ?? "us-east-1" });
  // Presigned URLs are checked as S3 checks them (presigned-s3.mjs); the emulators' credentials are test/test.
  enforcePresignedUrls(app, (accessKey) => (accessKey === (args.accessKey ?? "test") ? (args.secretKey ?? "test") : undefined));
  // Object tags (x-amz-tagging on PUT, GET ?tagging), which fauxqs does not keep (object-tagging.mjs).
  keepObjectTags(app);
  const address = await app.listen({ port, host });
  console.log(`READY fauxqs ${address}`);
}

function startDynalite(port, createTableMs) {
  const dynalite = require("dynalite");
  const server = dynalite({ createTableMs, deleteTableMs: createTableMs, updateTableMs: createTableMs });
  server.listen(port, host, () => {
    console.log(`READY dynalite http://${host}:${server.address().port}`);
  });
}

function watchParent(pid) {
  setInterval(() => {
    try { process.kill(pid, 0); } catch { process.exit(0); }
  }, 1000).unref();
}

function parseArgs(argv) {
  const result = { service: argv[0] };
  for (let i = 1; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    result[key] = argv[i + 1];
  }
  return result;
}
