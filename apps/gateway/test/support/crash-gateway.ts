/**
 * The gateway the crash-and-retry test kills: a real gateway on a loopback port over the test's
 * database. With `stall`, every idempotent request that committed prints `committed <requestId>`
 * and then never answers, until the parent kills the process with SIGKILL; without it, it answers
 * normally (the restart that the retries go to). Pipes to the parent are written synchronously on
 * Linux, so a `committed` line on the pipe means the commit returned before it.
 *
 * Usage: node --import tsx crash-gateway.ts stall|answer sqlite FILE | pg URL SCHEMA
 */
import { once } from "node:events"
import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { Regions } from "@verzuimregie/app"
import { Database, Store } from "@verzuimregie/store"
import { Either, Layer, ManagedRuntime } from "effect"
import { makeApp } from "../../src/App.js"
import { loadConfig, sampleConfigFile } from "../../src/config.js"
import { CRASH_LOCK_MS, TODAY } from "./gateway.js"

const [mode, backend, target, schema] = process.argv.slice(2)
if (target === undefined) throw new Error("usage: crash-gateway stall|answer sqlite FILE | pg URL SCHEMA")
const config = await loadConfig(sampleConfigFile)
if (Either.isLeft(config)) throw new Error(config.left.message)
const runtime = ManagedRuntime.make(
  Layer.mergeAll(
    Store.layer(
      backend === "pg" ? Database.postgres(target, { schema, maxConnections: 4 }) : Database.sqlite(target),
    ),
    Regions.layer(config.right, () => TODAY),
  ),
)
const { app } = makeApp({
  runtime,
  regions: config.right.regions,
  log: () => {},
  rateLimitPerMinute: 1_000_000,
  idempotencyLockMs: CRASH_LOCK_MS,
  ...(mode === "stall"
    ? {
        afterIdempotentCommit: (requestId: string) => {
          process.stdout.write(`committed ${requestId}\n`)
          return new Promise<void>(() => {}) // until the SIGKILL
        },
      }
    : {}),
})
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 })
await once(server, "listening")
process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
