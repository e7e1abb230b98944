/** Small helpers for tests and benches that start the gateway or a command as its own process. */
import { once } from "node:events"
import { createServer } from "node:net"

/** A TCP port on loopback that was free a moment ago (for a child process to listen on). */
export const freePort = async (): Promise<number> => {
  const server = createServer()
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Polls `check` until it holds; fails naming `what` after `ms`. */
export const waitFor = async (
  check: () => boolean,
  what: string,
  ms = 30_000,
  everyMs = 50,
): Promise<void> => {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
