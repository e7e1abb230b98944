/**
 * Server time of the web app's busiest pages with the demo data: the werkvoorraad and the dossier
 * (issue 14 asks p95 ≤ 50 ms). The gateway runs as `pnpm start` does, in its own process on a fresh
 * demo database; this process is only the client. Server time is what the gateway's own request log
 * says (`ms`: from the first middleware to the last byte handed to Node), so the client's event
 * loop and the network do not count; the client's round trip is printed beside it.
 *
 *   cd apps/gateway && npx tsx bench/pages.bench.ts            (REQUESTS=400 per page by default)
 */
import { signInCookie, startDemoGateway } from "./support/demo-gateway.js"

const REQUESTS = Number(process.env.REQUESTS ?? 400)
const WARM_UP = 40

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

const main = async () => {
  const gateway = await startDemoGateway()
  try {
    const worker = gateway.user("case-worker")
    const cookie = await signInCookie(gateway.base, worker.token)
    const cases = (await (
      await fetch(`${gateway.base}/cases?limit=50`, { headers: { authorization: `Bearer ${worker.token}` } })
    ).json()) as { items: ReadonlyArray<{ caseId: string }> }
    const caseIds = cases.items.map((c) => c.caseId)
    if (caseIds.length === 0) throw new Error("the demo data has no cases for the case worker")
    const pages: ReadonlyArray<{ route: string; paths: ReadonlyArray<string> }> = [
      { route: "/werkvoorraad", paths: ["/werkvoorraad"] },
      { route: "/dossiers/:caseId", paths: caseIds.map((id) => `/dossiers/${id}`) },
    ]
    process.stdout.write(
      `verzuimregie pagina's: ${REQUESTS} verzoeken per pagina na ${WARM_UP} om op te warmen, ${caseIds.length} demodossiers, één verbinding\n`,
    )
    for (const { route, paths } of pages) {
      const client: Array<number> = []
      const before = gateway.logLines().length
      for (let i = 0; i < WARM_UP + REQUESTS; i++) {
        const path = paths[i % paths.length] ?? paths[0]!
        const started = performance.now()
        const response = await fetch(`${gateway.base}${path}`, { headers: { cookie }, redirect: "manual" })
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
        if (i >= WARM_UP) client.push(performance.now() - started)
      }
      // The gateway writes its log line after the answer; give the pipe a moment to deliver it.
      await new Promise((r) => setTimeout(r, 500))
      const server = gateway
        .logLines()
        .slice(before)
        .filter((line) => line.route === route && line.method === "GET")
        .map((line) => Number(line.ms))
        .slice(WARM_UP)
      process.stdout.write(
        `${route.padEnd(20)} server p50 ${percentile(server, 50).toFixed(1)} ms  p95 ${percentile(server, 95).toFixed(1)} ms  p99 ${percentile(server, 99).toFixed(1)} ms  (n=${server.length});  client p95 ${percentile(client, 95).toFixed(1)} ms\n`,
      )
    }
  } finally {
    await gateway.stop()
  }
}

await main()
