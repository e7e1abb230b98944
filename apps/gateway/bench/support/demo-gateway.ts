/**
 * The gateway as `pnpm start` runs it, in its own process, on a fresh data folder with the demo
 * data: for the page benchmark and the screenshot script, which must look at what a person sees
 * after a first start and must not share an event loop with the server they measure.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, waitFor } from "../../test/support/process.js"

const ROOT = resolve(fileURLToPath(new URL("../../../..", import.meta.url)))

export interface DemoUser {
  readonly name: string
  readonly roles: string
  readonly token: string
}

export interface DemoGateway {
  readonly base: string
  readonly users: ReadonlyArray<DemoUser>
  /** The first demo user whose roles are `roles` (and whose name contains `name`, when given). */
  readonly user: (roles: string, name?: string) => DemoUser
  /** CPU time (user + system) the gateway's process used so far, in ms; undefined without `/proc`. */
  readonly cpuMs: () => number | undefined
  /** The JSON request-log lines the server wrote so far. */
  readonly logLines: () => ReadonlyArray<Record<string, unknown>>
  readonly stop: () => Promise<void>
}

/**
 * Starts the gateway with `env` added to this process's environment; `nodeArgs` go to its `node`
 * (`--cpu-prof` and the like, which Node refuses in `NODE_OPTIONS`).
 */
export const startDemoGateway = async (
  env: Record<string, string> = {},
  nodeArgs: ReadonlyArray<string> = [],
): Promise<DemoGateway> => {
  const dataDir = mkdtempSync(join(tmpdir(), "vr-demo-"))
  const port = await freePort()
  let stdout = ""
  let stderr = ""
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, "scripts/run.mjs"), "apps/gateway", "main.ts"],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, MAIL: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  )
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const exited = once(child, "exit")
  await waitFor(
    () => stderr.includes("verzuimregie draait op") || child.exitCode !== null,
    "the gateway's banner",
    180_000,
  )
  if (child.exitCode !== null) throw new Error(`the gateway stopped: ${stderr.slice(-2000)}`)
  // The banner's last lines follow the first in the same write; wait for the token table's end.
  await waitFor(() => stderr.includes("Probeer eerst"), "the demo users in the banner", 10_000)
  const users = [...stderr.matchAll(/^ {2}(.+?)\s{2,}(\S+)\s+(vrt_\S+)$/gm)].map((m) => ({
    name: (m[1] ?? "").trim(),
    roles: m[2] ?? "",
    token: m[3] ?? "",
  }))
  return {
    base: `http://127.0.0.1:${port}`,
    users,
    user: (roles, name) => {
      const found = users.find((u) => u.roles === roles && (name === undefined || u.name.includes(name)))
      if (found === undefined)
        throw new Error(`no demo user with roles ${roles}${name ? ` and name ${name}` : ""}`)
      return found
    },
    cpuMs: () => {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat: utime and stime in clock ticks (100 a second on Linux).
        const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8")
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
        return (Number(fields[11]) + Number(fields[12])) * 10
      } catch {
        return undefined
      }
    },
    logLines: () =>
      stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM")
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signs in through the web form as a browser would (origin header, double-submit token); returns the session cookie. */
export const signInCookie = async (base: string, token: string): Promise<string> => {
  const form = await fetch(`${base}/inloggen`)
  const html = await form.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
  const formCookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
  const response = await fetch(`${base}/inloggen`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: formCookie },
    body: new URLSearchParams({ _csrf: csrf, token, terug: "/" }).toString(),
  })
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.includes("vr_sessie="))
  if (response.status !== 303 || session === undefined) throw new Error(`sign-in failed: ${response.status}`)
  return session
}
