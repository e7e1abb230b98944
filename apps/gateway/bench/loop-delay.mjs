/**
 * Preloaded into the gateway by bench/export-health.ts (`node --import`), never in production:
 * samples the event loop's delay and, on SIGUSR2, writes the histogram since the last signal to
 * stderr as one JSON line (`loop-delay {...}`) and starts a new one.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"

const histogram = monitorEventLoopDelay({ resolution: 5 })
histogram.enable()
process.on("SIGUSR2", () => {
  const ms = (ns) => Math.round(ns / 1e5) / 10
  const line = {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  }
  process.stderr.write(`loop-delay ${JSON.stringify(line)}\n`)
  histogram.reset()
})
