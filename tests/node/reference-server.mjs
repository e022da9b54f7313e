// The stock automerge-repo sync server, as @automerge/automerge-repo-sync-server
// sets it up: a Repo with a WebSocket server adapter, on-disk storage, and a
// share policy that announces nothing (peers get only the documents they ask
// for by id). Used as the baseline that hearth-server is compared with.
//
//   node reference-server.mjs --port 3030 --dir /tmp/am-store
//
// Prints "LISTENING <port>" once the socket is bound. Any path and query string
// is accepted (it does no authentication).
import os from "node:os"
import { parseArgs } from "node:util"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const { values } = parseArgs({
  options: { port: { type: "string", default: "3030" }, dir: { type: "string", default: ".amrg" } },
})

const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(values.port) })
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(values.dir),
  peerId: `storage-server-${os.hostname()}`,
  sharePolicy: async () => false,
})
wss.on("listening", () => console.log(`LISTENING ${wss.address().port}`))
wss.on("error", err => {
  console.error(`ERROR ${err.message}`)
  process.exit(1)
})
// Write everything out before going away.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => repo.shutdown().finally(() => process.exit(0)))
