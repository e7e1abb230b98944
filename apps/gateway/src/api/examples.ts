/**
 * Examples for the API reference, from the synthetic sample files the domain package ships
 * (packages/domain/samples: every person in them is invented), so the reference shows a referral
 * that the gateway accepts rather than one made up from the schema.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

const samples = dirname(createRequire(import.meta.url).resolve("@verzuimregie/domain/package.json"))

const sample = (file: string): unknown => JSON.parse(readFileSync(join(samples, "samples", file), "utf8"))

/** Westland: a jeugdarts refers a 13-year-old with frequent sick absence (samples/README.md). */
export const referralExample = (): unknown => sample("referrals/westland-jgz.json")

/** What POST /referrals answers for it. */
export const referralReceiptExample = {
  referralId: "ref_0m3kq8v2x7c4p9",
  caseId: "case_0m3kq8v2x7d1r5",
  regionId: "westland",
  status: { id: "aangemeld", label: "Aangemeld" },
  submittedAt: "2026-11-16T09:30:00.000Z",
  addedToOpenCase: false,
}
