/**
 * The fixed-rate `/health` prober of the separate-process benches: one probe every `everyMs`
 * until `stop` settles, each latency timed from when the probe was due (so a stalled event loop
 * shows as latency, not as fewer probes).
 */
export const probeAtFixedRate = async (
  check: () => Promise<number>,
  everyMs: number,
  stop: Promise<unknown>,
): Promise<Array<number>> => {
  const latencies: Array<number> = []
  const pending: Array<Promise<void>> = []
  let done = false
  void stop.finally(() => {
    done = true
  })
  const start = performance.now()
  for (let i = 0; !done; i++) {
    const due = start + i * everyMs
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    if (done) break
    pending.push(
      check().then((status) => {
        if (status !== 200) throw new Error(`/health answered ${status}`)
        latencies.push(performance.now() - due)
      }),
    )
  }
  await Promise.all(pending)
  return latencies
}
