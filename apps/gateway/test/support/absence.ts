/**
 * Absence imports over real HTTP (issue 15): an upload as a school's tooling sends it (the file as
 * the raw body, the rest in the query), and a fingerprint of the absence tables for "nothing
 * changed".
 */
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Gateway, Reply } from "./gateway.js"

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

export interface ImportParams {
  readonly school: string
  readonly mapping: string
  readonly from: string
  readonly to: string
  readonly skipBadRows?: boolean
  readonly filename?: string
}

/** `POST /absence/imports` with `file` as the body. */
export const upload = async (
  gateway: Gateway,
  token: string,
  params: ImportParams,
  file: Uint8Array | string,
  contentType: string,
): Promise<Reply> => {
  const query = new URLSearchParams({
    school: params.school,
    mapping: params.mapping,
    from: params.from,
    to: params.to,
    ...(params.skipBadRows === undefined ? {} : { skipBadRows: String(params.skipBadRows) }),
    ...(params.filename === undefined ? {} : { filename: params.filename }),
  })
  const response = await fetch(`${gateway.base}/absence/imports?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: typeof file === "string" ? file : Buffer.from(file),
  })
  const text = await response.text()
  let json: unknown
  try {
    json = text === "" ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
  return { status: response.status, headers: response.headers, text, json: json as any }
}

/**
 * Row counts of every absence table (whatever the store named them: every table whose name
 * starts with `absence`), and of the audit log: the fingerprint for "the database is unchanged".
 */
export const absenceFingerprint = (gateway: Gateway): Promise<Record<string, number>> =>
  gateway.runtime.runPromise(
    Effect.flatMap(Database.Database, (db) =>
      Effect.gen(function* () {
        const tables =
          db.dialect === "sqlite"
            ? yield* db.sql<{ name: string }>`
                SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'absence%' ORDER BY name`
            : yield* db.sql<{ name: string }>`
                SELECT table_name AS name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_name LIKE 'absence%' ORDER BY table_name`
        const out: Record<string, number> = {}
        for (const { name } of tables) {
          const rows = yield* db.sql.unsafe<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${name}`)
          out[name] = Number(rows[0]?.n ?? 0)
        }
        return out
      }),
    ),
  )
