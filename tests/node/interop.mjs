// A stock automerge-repo client, for checking that a sync server speaks the
// protocol the JavaScript packages speak.
//
//   node interop.mjs --url 'ws://127.0.0.1:PORT/v1/sync?token=TOKEN' --doc DOCID \
//       [--put settings.name=Interop ...] [--text] [--timeout 15]
//
// Finds automerge:DOCID through the server (no local storage), prints
// "DOC <json>" on one line, applies every --put in one change, waits until the
// server's sync messages show it has that change, prints "OK" and exits 0.
// On any failure: "ERROR <message>" on stderr, exit 1.
//
// --put KEY.PATH=VALUE sets a string at a dot path whose parents are existing
// maps. The value is written as a scalar string (ImmutableString), which is
// what Hearth's documents hold; with --text it is written as collaborative
// text instead (Automerge 3's default for a plain JS string).
import { parseArgs } from "node:util"
import {
  Repo,
  ImmutableString,
  encodeHeads,
  isValidAutomergeUrl,
} from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

function fail(message) {
  console.error(`ERROR ${message}`)
  process.exit(1)
}
// The adapter throws from its socket "error" listener for anything but
// ECONNREFUSED (e.g. an HTTP 401 on the upgrade): that surfaces here.
process.on("uncaughtException", e => fail(e?.message ?? String(e)))
process.on("unhandledRejection", e => fail(e?.message ?? String(e)))

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    doc: { type: "string" },
    put: { type: "string", multiple: true, default: [] },
    text: { type: "boolean", default: false },
    timeout: { type: "string", default: "15" },
  },
})
if (!values.url || !values.doc) fail("usage: node interop.mjs --url WS_URL --doc DOCID [--put PATH=VALUE ...] [--text] [--timeout SECONDS]")
const seconds = Number(values.timeout)
if (!(seconds > 0)) fail(`bad --timeout ${values.timeout}`)
setTimeout(() => fail(`timed out after ${seconds} s`), seconds * 1000)

const docUrl = values.doc.startsWith("automerge:") ? values.doc : `automerge:${values.doc}`
if (!isValidAutomergeUrl(docUrl)) fail(`not a document id: ${values.doc}`)

const puts = values.put.map(p => {
  const eq = p.indexOf("=")
  if (eq <= 0) fail(`bad --put ${p}: want PATH=VALUE`)
  return { path: p.slice(0, eq).split("."), value: p.slice(eq + 1) }
})

// Retries are the adapter's business (every 5 s); the timeout above bounds them.
const repo = new Repo({ network: [new WebSocketClientAdapter(values.url)] })

try {
  // Rejects with "Document automerge:… is unavailable" when the server answers
  // doc-unavailable, or when no server peer turned up within the adapter's 1 s.
  const handle = await repo.find(docUrl)
  console.log(`DOC ${JSON.stringify(handle.doc(), (_, v) => (typeof v === "bigint" ? Number(v) : v))}`)

  if (puts.length > 0) {
    // Every sync message the server sends updates our sync state with its heads
    // (theirHeads). Once they include all our heads, the server holds our change.
    // (The synchronizer's "sync-state" event is not public API, but unlike the
    // public "remote-heads" handle event it does not need the server to announce
    // a storageId in its peer metadata.)
    const acked = new Promise(resolve => {
      repo.synchronizer.on("sync-state", ({ documentId, syncState }) => {
        if (documentId !== handle.documentId || !syncState.theirHeads) return
        const theirs = encodeHeads(syncState.theirHeads)
        if (handle.heads().every(h => theirs.includes(h))) resolve()
      })
    })
    handle.change(d => {
      for (const { path, value } of puts) {
        let obj = d
        for (const key of path.slice(0, -1)) {
          obj = obj[key]
          if (obj === null || typeof obj !== "object" || Array.isArray(obj) || obj instanceof ImmutableString)
            throw new Error(`${path.join(".")}: ${key} is not a map`)
        }
        obj[path.at(-1)] = values.text ? value : new ImmutableString(value)
      }
    })
    await acked
  }
} catch (e) {
  // find() says "unavailable" also when no server ever answered: tell the two apart.
  const why = repo.peers.length === 0 ? "no sync server peer (connection failed or no reply to join within 1 s): " : ""
  fail(why + (e?.message ?? String(e)))
}

console.log("OK")
await repo.shutdown()
process.exit(0)
