/**
 * Server time of the web app's busiest pages with the demo data: the werkvoorraad (own list and
 * the region's list), the dossier and a search by name (issue 14 asks p95 ≤ 50 ms). The gateway
 * runs as `pnpm start` does, in its own process on a fresh demo database; this process is only the
 * client. Server time is what the gateway's own request log says (`ms`: from the first middleware
 * to the last byte handed to Node), so the client's event loop and the network do not count; the
 * client's round trip is printed beside it.
 *
 *   cd apps/gateway && npx tsx bench/pages.bench.ts            (REQUESTS=400 per page by default)
 *
 * `PAGES=dossier,zoeken` measures only those pages (names as printed); `GATEWAY_NODE_ARGS`
 * go to the gateway's `node` (space-separated), for a profile of the server alone:
 *
 *   GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/vr-prof" npx tsx bench/pages.bench.ts
 */
import { signInCookie, startDemoGateway } from "./support/demo-gateway.js"

const REQUESTS = Number(process.env.REQUESTS ?? 400)
const WARM_UP = 40
const ONLY = process.env.PAGES?.split(",").map((p) => p.trim())

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

interface Page {
  readonly name: string
  readonly route: string
  readonly method: "GET" | "POST"
  readonly paths: ReadonlyArray<string>
  /** Form fields of a POST (the session's CSRF token is added). */
  readonly forms?: ReadonlyArray<Record<string, string>>
}

const main = async () => {
  const gateway = await startDemoGateway(
    {
      // One client sends every request: the per-client budget (600 a minute) is not what is measured.
      RATE_LIMIT_PER_MINUTE: "1000000",
    },
    process.env.GATEWAY_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? [],
  )
  try {
    // The demo has no coordinator of several regions: the region list is the case worker's.
    const worker = gateway.user("case-worker")
    const cookie = await signInCookie(gateway.base, worker.token)
    const api = { headers: { authorization: `Bearer ${worker.token}` } }
    const cases = (await (await fetch(`${gateway.base}/cases?limit=50`, api)).json()) as {
      items: ReadonlyArray<{ caseId: string }>
    }
    const caseIds = cases.items.map((c) => c.caseId)
    if (caseIds.length === 0) throw new Error("the demo data has no cases for the case worker")
    // Search for the family names of the first demo pupils, as a person would type them.
    const names: Array<string> = []
    for (const id of caseIds.slice(0, 8)) {
      const one = (await (await fetch(`${gateway.base}/cases/${id}`, api)).json()) as {
        case: { referral: { pupil: { name: { familyName: string } } } }
      }
      names.push(one.case.referral.pupil.name.familyName)
    }
    const searchPage = await (await fetch(`${gateway.base}/zoeken`, { headers: { cookie } })).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(searchPage)?.[1]
    if (csrf === undefined) throw new Error("the search page has no CSRF token")
    const pages: ReadonlyArray<Page> = [
      { name: "werkvoorraad", route: "/werkvoorraad", method: "GET", paths: ["/werkvoorraad"] },
      {
        name: "werkvoorraad-regio",
        route: "/werkvoorraad",
        method: "GET",
        paths: ["/werkvoorraad?lijst=regio"],
      },
      {
        name: "dossier",
        route: "/dossiers/:caseId",
        method: "GET",
        paths: caseIds.map((id) => `/dossiers/${id}`),
      },
      {
        name: "zoeken",
        route: "/zoeken",
        method: "POST",
        paths: ["/zoeken"],
        forms: names.map((naam) => ({ naam, geboortedatum: "", nummer: "" })),
      },
    ]
    process.stdout.write(
      `verzuimregie pagina's: ${REQUESTS} verzoeken per pagina na ${WARM_UP} om op te warmen, ${caseIds.length} demodossiers, één verbinding, als ${worker.name}\n`,
    )
    for (const page of pages) {
      if (ONLY !== undefined && !ONLY.includes(page.name)) continue
      const client: Array<number> = []
      const before = gateway.logLines().length
      let cpuBefore = gateway.cpuMs()
      for (let i = 0; i < WARM_UP + REQUESTS; i++) {
        const path = page.paths[i % page.paths.length] ?? page.paths[0]!
        const form = page.forms?.[i % page.forms.length]
        const started = performance.now()
        const response = await fetch(
          `${gateway.base}${path}`,
          form === undefined
            ? { headers: { cookie }, redirect: "manual" }
            : {
                method: "POST",
                redirect: "manual",
                headers: {
                  cookie,
                  origin: gateway.base,
                  "content-type": "application/x-www-form-urlencoded",
                },
                body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
              },
        )
        const body = await response.text()
        if (response.status !== 200) throw new Error(`${page.method} ${path} answered ${response.status}`)
        if (page.name === "zoeken" && !body.includes("/dossiers/"))
          throw new Error(`the search for ${form?.naam} found nothing`)
        if (i >= WARM_UP) client.push(performance.now() - started)
        if (i === WARM_UP - 1) cpuBefore = gateway.cpuMs()
      }
      const cpuAfter = gateway.cpuMs()
      const cpu =
        cpuBefore === undefined || cpuAfter === undefined
          ? ""
          : `;  gateway CPU ${((cpuAfter - cpuBefore) / REQUESTS).toFixed(1)} ms/verzoek`
      // The gateway writes its log line after the answer; give the pipe a moment to deliver it.
      await new Promise((r) => setTimeout(r, 500))
      const server = gateway
        .logLines()
        .slice(before)
        .filter((line) => line.route === page.route && line.method === page.method)
        .map((line) => Number(line.ms))
        .slice(WARM_UP)
      process.stdout.write(
        `${page.name.padEnd(20)} server p50 ${percentile(server, 50).toFixed(1)} ms  p95 ${percentile(server, 95).toFixed(1)} ms  p99 ${percentile(server, 99).toFixed(1)} ms  (n=${server.length});  client p95 ${percentile(client, 95).toFixed(1)} ms${cpu}\n`,
      )
    }
  } finally {
    await gateway.stop()
  }
}

await main()
