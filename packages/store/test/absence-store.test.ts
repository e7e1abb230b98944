import type { AbsenceSignal } from "@verzuimregie/domain"
import { Ids, type LocalDate } from "@verzuimregie/domain"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import {
  AbsenceStore,
  type AbsenceStoreService,
  type ImportHeader,
  noSignalChanges,
  type StoredAbsence,
} from "../src/AbsenceStore.js"
import { BACKENDS, rawSql, skip, useStore } from "./support/backends.js"
import { day, orgId, region, userId } from "./support/factories.js"

const REGION = region("westland")
const OTHER_REGION = region("amstelland")
const BY = userId("mentor")

let schools = 0
/** Every test its own school, so tests do not see each other's rows. */
const newSchool = () => orgId(`abs${++schools}`)

const header = (
  schoolId: Ids.OrganisationId,
  from: string,
  to: string,
  regionId: Ids.RegionId = REGION,
): ImportHeader => ({
  importId: Ids.newId.absenceImport(),
  schoolId,
  regionId,
  period: { from: day(from), to: day(to) },
  by: BY,
  mapping: "magister-voorbeeld",
  format: "csv",
})

/** Weekdays from `from` to `to` (both included), as ISO dates. */
const weekdays = (from: string, to: string): Array<LocalDate.LocalDate> => {
  const out: Array<LocalDate.LocalDate> = []
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    const d = new Date(t)
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(day(d.toISOString().slice(0, 10)))
  }
  return out
}

const record = (pupilNumber: string, date: string, code = "O", minutes = 50): StoredAbsence => ({
  pupilNumber,
  date: day(date),
  kind: code === "Z" ? "ziek" : "ongeoorloofd",
  authorised: false,
  minutes,
  code,
})

const detected = (
  pupilNumber: string,
  type: AbsenceSignal.SignalType,
  from: string,
  measure: number,
  to = from,
): AbsenceSignal.DetectedSignal => ({
  pupilNumber,
  type,
  key: `${type}:${from}`,
  from: day(from),
  to: day(to),
  firesOn: day(to),
  measure,
  explanation: `${measure} uur ongeoorloofd`,
})

class Boom {
  readonly _tag = "Boom"
}

describe.each(BACKENDS)("AbsenceStore on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const withStore = <A, E>(body: (store: AbsenceStoreService) => Effect.Effect<A, E>) =>
      suite.run(Effect.flatMap(AbsenceStore, body))

    /** Imports `rows` for the header's period in batches of `batch`, merging no signals. */
    const importRows = (h: ImportHeader, rows: ReadonlyArray<StoredAbsence>, batch = 7) =>
      withStore((store) =>
        store.replacePeriod(
          h,
          (sink) =>
            Effect.gen(function* () {
              for (let i = 0; i < rows.length; i += batch) {
                const chunk = rows.slice(i, i + batch)
                yield* sink.insert(
                  chunk,
                  chunk.map((r) => ({ pupilNumber: r.pupilNumber, name: `Leerling ${r.pupilNumber}` })),
                )
              }
              return rows.length
            }),
          () => Effect.succeed(noSignalChanges),
        ),
      )

    const recordsOf = (schoolId: Ids.OrganisationId) =>
      withStore((store) => store.recordsOfSchool(schoolId, day("2000-01-01"), day("2100-01-01")))

    /** Everything of a school, to compare before and after a failed import. */
    const snapshot = async (schoolId: Ids.OrganisationId) => ({
      records: await rawSql(
        suite.fresh,
        backend === "pg"
          ? "SELECT pupil_number, date::text AS date, kind, code, minutes, import_id FROM absence_records WHERE school_id = $1 ORDER BY pupil_number, date, code"
          : "SELECT pupil_number, date, kind, code, minutes, import_id FROM absence_records WHERE school_id = ? ORDER BY pupil_number, date, code",
        [schoolId],
      ),
      pupils: await rawSql(
        suite.fresh,
        `SELECT pupil_number, name, last_import_id FROM absence_pupils WHERE school_id = ${backend === "pg" ? "$1" : "?"} ORDER BY pupil_number`,
        [schoolId],
      ),
      imports: await rawSql(
        suite.fresh,
        `SELECT id FROM absence_imports WHERE school_id = ${backend === "pg" ? "$1" : "?"} ORDER BY id`,
        [schoolId],
      ),
      signals: await withStore((store) => store.signals({ schoolId })),
    })

    it("replaces exactly the declared period: an overlapping re-import neither doubles nor touches other dates or schools", async () => {
      const school = newSchool()
      const neighbour = newSchool()
      const january = weekdays("2026-01-05", "2026-01-30")
      const first = january.flatMap((d) => [record("1001", d), record("1002", d, "Z", 60)])
      const one = await importRows(header(school, "2026-01-05", "2026-01-30"), first)
      expect(one.summary).toEqual({ replaced: 0, inserted: first.length })
      expect(one.filled).toBe(first.length)
      await importRows(header(neighbour, "2026-01-05", "2026-01-30"), [record("1001", "2026-01-12")])

      // The correction covers 19 January to 13 February: in it, pupil 1001 only on Mondays.
      const corrected = weekdays("2026-01-19", "2026-02-13")
        .filter((d) => new Date(d).getUTCDay() === 1)
        .map((d) => record("1001", d, "L", 30))
      const two = await importRows(header(school, "2026-01-19", "2026-02-13"), corrected)
      const inOverlap = first.filter((r) => r.date >= "2026-01-19").length
      expect(two.summary).toEqual({ replaced: inOverlap, inserted: corrected.length })

      const after = await recordsOf(school)
      const all = [...after.values()].flat()
      expect(all).toHaveLength(first.length - inOverlap + corrected.length)
      // Before the period: the first import's rows; in it: only the correction's.
      expect(all.filter((r) => r.date < "2026-01-19")).toEqual(
        first
          .filter((r) => r.date < "2026-01-19")
          .sort((a, b) => a.pupilNumber.localeCompare(b.pupilNumber) || a.date.localeCompare(b.date)),
      )
      expect(all.filter((r) => r.date >= "2026-01-19")).toEqual(corrected)
      // Grouped per pupil, each by date.
      expect([...after.keys()]).toEqual(["1001", "1002"])
      const dates = (after.get("1001") ?? []).map((r) => r.date)
      expect(dates).toEqual([...dates].sort())
      // No date twice for a pupil whose rows were replaced.
      expect(new Set(dates).size).toBe(dates.length)
      expect([...(await recordsOf(neighbour)).values()].flat()).toHaveLength(1)
      // A window reads only its dates, both ends included.
      const window = await withStore((store) =>
        store.recordsOfSchool(school, day("2026-01-12"), day("2026-01-16")),
      )
      expect([...window.values()].flat().map((r) => r.date)).toEqual([
        ...weekdays("2026-01-12", "2026-01-16"),
        ...weekdays("2026-01-12", "2026-01-16"),
      ])

      // Re-importing the same correction changes nothing.
      const three = await importRows(header(school, "2026-01-19", "2026-02-13"), corrected)
      expect(three.summary).toEqual({ replaced: corrected.length, inserted: corrected.length })
      expect([...(await recordsOf(school)).values()].flat()).toEqual(all)

      const imports = await withStore((store) => store.imports(school))
      expect(imports.map((i) => [i.period.from, i.summary])).toEqual([
        ["2026-01-19", three.summary],
        ["2026-01-19", two.summary],
        ["2026-01-05", one.summary],
      ])
      expect(imports[0]).toMatchObject({
        mapping: "magister-voorbeeld",
        format: "csv",
        by: BY,
        regionId: REGION,
      })
    })

    it("keeps every field of a record and a pupil's name and birth date; a later import without them keeps them", async () => {
      const school = newSchool()
      const rows: Array<StoredAbsence> = [
        {
          pupilNumber: "7",
          date: day("2026-03-02"),
          kind: "geoorloofd",
          authorised: true,
          minutes: 90,
          code: "AFS",
        },
        {
          pupilNumber: "7",
          date: day("2026-03-03"),
          kind: "te-laat",
          authorised: false,
          minutes: 10,
          code: "TL",
        },
        {
          pupilNumber: "8",
          date: day("2026-03-02"),
          kind: "luxe-verzuim",
          authorised: false,
          minutes: 300,
          code: "LX",
        },
      ]
      await withStore((store) =>
        store.replacePeriod(
          header(school, "2026-03-02", "2026-03-06"),
          (sink) =>
            sink.insert(rows, [
              { pupilNumber: "7", name: "Noor de Vries", birthDate: day("2012-05-01") },
              { pupilNumber: "8" },
            ]),
          () => Effect.succeed(noSignalChanges),
        ),
      )
      await withStore((store) =>
        store.replacePeriod(
          header(school, "2026-03-09", "2026-03-13"),
          (sink) =>
            sink.insert(
              [record("7", "2026-03-09")],
              [{ pupilNumber: "7" }, { pupilNumber: "8", name: "Sem" }],
            ),
          () => Effect.succeed(noSignalChanges),
        ),
      )
      const pupils = await withStore((store) => store.pupils(school, ["7", "8", "9"]))
      expect(pupils.get("7")).toEqual({ pupilNumber: "7", name: "Noor de Vries", birthDate: "2012-05-01" })
      expect(pupils.get("8")).toEqual({ pupilNumber: "8", name: "Sem", birthDate: undefined })
      expect(pupils.has("9")).toBe(false)
      expect(await withStore((store) => store.pupil(school, "9"))).toBeUndefined()
      expect(
        await withStore((store) => store.recordsOfPupil(school, "7", day("2026-03-01"), day("2026-03-06"))),
      ).toEqual(rows.slice(0, 2))
      expect((await recordsOf(school)).get("8")).toEqual([rows[2]])
    })

    it("an import that fails halfway, or whose signal merge fails, leaves records, pupils, imports and signals as they were", async () => {
      const school = newSchool()
      const days = weekdays("2026-02-02", "2026-02-27")
      await withStore((store) =>
        store.replacePeriod(
          header(school, "2026-02-02", "2026-02-27"),
          (sink) =>
            sink.insert(
              days.map((d) => record("5", d)),
              [{ pupilNumber: "5", name: "Eerste" }],
            ),
          () =>
            store.mergeSignals({ schoolId: school, regionId: REGION, pupilNumbers: new Set(["5"]) }, [
              detected("5", "meldplicht", "2026-02-02", 16),
            ]),
        ),
      )
      const before = await snapshot(school)
      expect(before.records).toHaveLength(days.length)
      expect(before.signals).toHaveLength(1)

      // The fill writes two batches (new pupil and a new name included), then fails.
      const failed = await suite.runtime.runPromiseExit(
        Effect.flatMap(AbsenceStore, (store) =>
          store.replacePeriod(
            header(school, "2026-02-02", "2026-02-27"),
            (sink) =>
              Effect.gen(function* () {
                yield* sink.insert([record("5", "2026-02-02", "L")], [{ pupilNumber: "5", name: "Anders" }])
                yield* sink.insert([record("6", "2026-02-03")], [{ pupilNumber: "6", name: "Nieuw" }])
                return yield* Effect.fail(new Boom())
              }),
            () => Effect.succeed(noSignalChanges),
          ),
        ),
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(await snapshot(school)).toEqual(before)

      // Everything lands, then the merge (after changing the signals) fails: still nothing changed.
      const mergeFailed = await suite.runtime.runPromiseExit(
        Effect.flatMap(AbsenceStore, (store) =>
          store.replacePeriod(
            header(school, "2026-02-02", "2026-02-27"),
            (sink) => sink.insert([record("6", "2026-02-03")], [{ pupilNumber: "6", name: "Nieuw" }]),
            () =>
              Effect.zipRight(
                store.mergeSignals(
                  { schoolId: school, regionId: REGION, pupilNumbers: new Set(["5", "6"]) },
                  [detected("6", "luxe-verzuim", "2026-02-03", 5)],
                ),
                Effect.fail(new Boom()),
              ),
          ),
        ),
      )
      expect(Exit.isFailure(mergeFailed)).toBe(true)
      expect(await snapshot(school)).toEqual(before)
    })

    it("merges signals: creates, never duplicates, re-opens a worsened one, withdraws one no longer found, keeps a referred one", async () => {
      const school = newSchool()
      const scope = { schoolId: school, regionId: REGION, pupilNumbers: new Set(["1", "2", "3"]) }
      const merge = (found: ReadonlyArray<AbsenceSignal.DetectedSignal>, pupilNumbers = scope.pupilNumbers) =>
        withStore((store) => store.mergeSignals({ ...scope, pupilNumbers }, found))
      const byKey = async () =>
        new Map(
          (await withStore((store) => store.signals({ schoolId: school }))).map((s) => [
            `${s.pupilNumber} ${s.key}`,
            s,
          ]),
        )

      const first = [
        detected("1", "meldplicht", "2026-01-05", 16),
        detected("2", "mazl-frequent", "2026-01-05", 4),
        detected("3", "grijs-te-laat", "2026-01-05", 6),
      ]
      expect(await merge(first)).toEqual({ created: 3, reopened: 0, updated: 0, withdrawn: 0 })
      // The same findings again: nothing happens, nothing doubles.
      expect(await merge(first)).toEqual(noSignalChanges)
      const signals = await byKey()
      expect(signals.size).toBe(3)
      const meldplicht = signals.get("1 meldplicht:2026-01-05")
      const mazl = signals.get("2 mazl-frequent:2026-01-05")
      const late = signals.get("3 grijs-te-laat:2026-01-05")
      if (meldplicht === undefined || mazl === undefined || late === undefined)
        throw new Error("signals missing")
      expect(meldplicht).toMatchObject({
        status: "nieuw",
        reopened: 0,
        measure: 16,
        regionId: REGION,
        type: "meldplicht",
      })

      // The school looks at them: seen, no action, referred.
      await withStore((store) =>
        store.changeSignal(meldplicht.id, { _tag: "seen", note: "gesprek gepland" }, BY),
      )
      await withStore((store) =>
        store.changeSignal(mazl.id, { _tag: "no-action", reason: "bekend bij GGD" }, BY),
      )
      const referral = Ids.newId.referral()
      await withStore((store) => store.changeSignal(late.id, { _tag: "referred", referralId: referral }, BY))

      // Worse for all three; the same measure for a gezien one does not re-open it.
      const worse = [
        detected("1", "meldplicht", "2026-01-05", 20, "2026-01-30"),
        detected("2", "mazl-frequent", "2026-01-05", 5),
        detected("3", "grijs-te-laat", "2026-01-05", 9),
      ]
      expect(await merge(worse)).toEqual({ created: 0, reopened: 2, updated: 1, withdrawn: 0 })
      const afterWorse = await byKey()
      expect(afterWorse.get("1 meldplicht:2026-01-05")).toMatchObject({
        status: "nieuw",
        reopened: 1,
        measure: 20,
        to: "2026-01-30",
        note: "gesprek gepland",
      })
      expect(afterWorse.get("2 mazl-frequent:2026-01-05")).toMatchObject({
        status: "nieuw",
        reopened: 1,
        measure: 5,
      })
      expect(afterWorse.get("3 grijs-te-laat:2026-01-05")).toMatchObject({
        status: "aangemeld",
        reopened: 0,
        measure: 9,
        referralId: referral,
      })
      expect(await merge(worse)).toEqual(noSignalChanges)

      // Milder again after a look (a correction took hours away): updated in place, not re-opened.
      await withStore((store) => store.changeSignal(mazl.id, { _tag: "seen", note: "in de gaten" }, BY))
      const milder = [worse[0], detected("2", "mazl-frequent", "2026-01-05", 4), worse[2]].filter(
        (d): d is AbsenceSignal.DetectedSignal => d !== undefined,
      )
      expect(await merge(milder)).toEqual({ created: 0, reopened: 0, updated: 1, withdrawn: 0 })
      expect((await byKey()).get("2 mazl-frequent:2026-01-05")).toMatchObject({
        status: "gezien",
        reopened: 1,
        measure: 4,
      })
      // The rules reporting one finding twice in one run still make one signal, with the larger measure.
      expect(
        await merge([
          ...milder,
          detected("2", "grijs-stijgend", "2026-02-02", 8),
          detected("2", "grijs-stijgend", "2026-02-02", 9),
        ]),
      ).toEqual({ created: 1, reopened: 0, updated: 0, withdrawn: 0 })
      expect((await byKey()).get("2 grijs-stijgend:2026-02-02")?.measure).toBe(9)

      // A corrected import no longer shows pupil 1's and 3's findings: the open one lapses, the
      // referred one stays; pupil 2 is not in this import's scope, so its signal is left alone.
      expect(await merge([], new Set(["1", "3"]))).toEqual({
        created: 0,
        reopened: 0,
        updated: 0,
        withdrawn: 1,
      })
      const lapsed = await byKey()
      expect(lapsed.get("1 meldplicht:2026-01-05")?.status).toBe("vervallen")
      expect(lapsed.get("2 mazl-frequent:2026-01-05")?.status).toBe("gezien")
      expect(lapsed.get("3 grijs-te-laat:2026-01-05")?.status).toBe("aangemeld")
      // Findings outside the scope are ignored.
      expect(await merge([detected("4", "meldplicht", "2026-01-05", 16)], new Set(["1"]))).toEqual(
        noSignalChanges,
      )

      // Found again: back to nieuw, the same signal (no second one).
      expect(await merge([detected("1", "meldplicht", "2026-01-05", 18)], new Set(["1"]))).toEqual({
        created: 0,
        reopened: 1,
        updated: 0,
        withdrawn: 0,
      })
      const back = await byKey()
      expect(back.size).toBe(4)
      expect(back.get("1 meldplicht:2026-01-05")).toMatchObject({
        id: meldplicht.id,
        status: "nieuw",
        measure: 18,
      })

      const history = await withStore((store) => store.history(meldplicht.id))
      expect(history.map((h) => [h.change, h.status, h.by ?? null])).toEqual([
        ["created", "nieuw", null],
        ["seen", "gezien", BY],
        ["reopened", "nieuw", null],
        ["withdrawn", "vervallen", null],
        ["redetected", "nieuw", null],
      ])
      expect(history[1]?.note).toBe("gesprek gepland")
    })

    it("records a user's steps with their history, the DUO status with its time, and refuses an unknown signal", async () => {
      const school = newSchool()
      await withStore((store) =>
        store.mergeSignals({ schoolId: school, regionId: REGION, pupilNumbers: new Set(["1"]) }, [
          detected("1", "luxe-verzuim", "2026-05-18", 25),
        ]),
      )
      const [signal] = await withStore((store) => store.signals({ schoolId: school }))
      if (signal === undefined) throw new Error("no signal")
      const seen = await withStore((store) =>
        store.changeSignal(signal.id, { _tag: "seen", note: "ouders gebeld" }, BY),
      )
      expect(seen).toMatchObject({ status: "gezien", note: "ouders gebeld" })
      const duo = await withStore((store) =>
        store.changeSignal(signal.id, { _tag: "duo-status", status: "In behandeling" }, BY),
      )
      expect(duo).toMatchObject({ status: "gezien", duoStatus: "In behandeling" })
      expect(duo.duoStatusAt).toMatch(/^\d{4}-\d\d-\d\dT/)
      const none = await withStore((store) =>
        store.changeSignal(signal.id, { _tag: "no-action", reason: "vakantie met toestemming" }, BY),
      )
      expect(none).toMatchObject({
        status: "geen-actie",
        reason: "vakantie met toestemming",
        duoStatus: "In behandeling",
      })
      expect(await withStore((store) => store.signal(signal.id))).toEqual(none)
      expect(
        (await withStore((store) => store.history(signal.id))).map((h) => [
          h.change,
          h.status,
          h.duoStatus ?? null,
        ]),
      ).toEqual([
        ["created", "nieuw", null],
        ["seen", "gezien", null],
        ["duo-status", "gezien", "In behandeling"],
        ["no-action", "geen-actie", null],
      ])

      const missing = Ids.newId.signal()
      const exit = await suite.runtime.runPromiseExit(
        Effect.flatMap(AbsenceStore, (store) => store.changeSignal(missing, { _tag: "seen", note: "x" }, BY)),
      )
      expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("SignalNotFound")
      expect(await withStore((store) => store.signal(missing))).toBeUndefined()
    })

    it("filters signals and counts them per school, type and status within the asked regions only", async () => {
      const a = newSchool()
      const b = newSchool()
      const c = newSchool()
      const merge = (
        schoolId: Ids.OrganisationId,
        regionId: Ids.RegionId,
        found: Array<AbsenceSignal.DetectedSignal>,
      ) =>
        withStore((store) =>
          store.mergeSignals(
            { schoolId, regionId, pupilNumbers: new Set(found.map((f) => f.pupilNumber)) },
            found,
          ),
        )
      await merge(a, REGION, [
        detected("1", "meldplicht", "2026-01-05", 16),
        detected("2", "meldplicht", "2026-01-12", 17),
        detected("3", "grijs-weekdag", "2026-01-05", 0.6),
      ])
      await merge(b, REGION, [detected("1", "meldplicht", "2026-01-05", 16)])
      await merge(c, OTHER_REGION, [detected("1", "meldplicht", "2026-01-05", 16)])
      const [first] = await withStore((store) => store.signals({ schoolId: a, pupilNumber: "1" }))
      if (first === undefined) throw new Error("no signal")
      await withStore((store) => store.changeSignal(first.id, { _tag: "seen", note: "gezien" }, BY))

      const counts = (await withStore((store) => store.counts([REGION]))).filter(
        (row) => row.schoolId === a || row.schoolId === b || row.schoolId === c,
      )
      expect(counts).toEqual(
        [
          { schoolId: a, type: "grijs-weekdag", status: "nieuw", count: 1 },
          { schoolId: a, type: "meldplicht", status: "gezien", count: 1 },
          { schoolId: a, type: "meldplicht", status: "nieuw", count: 1 },
          { schoolId: b, type: "meldplicht", status: "nieuw", count: 1 },
        ].sort((x, y) => x.schoolId.localeCompare(y.schoolId)),
      )
      expect(await withStore((store) => store.counts([]))).toEqual([])

      const ofA = (filter: Parameters<AbsenceStoreService["signals"]>[0]) =>
        withStore((store) => store.signals({ schoolId: a, ...filter })).then((list) =>
          list.map((s) => `${s.pupilNumber} ${s.type}`).sort(),
        )
      expect(await ofA({ statuses: ["nieuw"] })).toEqual(["2 meldplicht", "3 grijs-weekdag"])
      expect(await ofA({ types: ["meldplicht"] })).toEqual(["1 meldplicht", "2 meldplicht"])
      expect(await ofA({ statuses: [] })).toEqual([])
      expect(await ofA({ regionIds: [OTHER_REGION] })).toEqual([])
      const inOther = await withStore((store) =>
        store.signals({ regionIds: [OTHER_REGION], types: ["meldplicht"] }),
      )
      expect(inOther.every((s) => s.regionId === OTHER_REGION)).toBe(true)
      expect(inOther.map((s) => s.schoolId)).toContain(c)
    })

    it("links a case to a school's pupil, replacing an earlier link of the same case", async () => {
      const school = newSchool()
      const caseId = Ids.newId.case()
      const referralId = Ids.newId.referral()
      const signalId = Ids.newId.signal()
      await withStore((store) =>
        store.link({ caseId, referralId, schoolId: school, pupilNumber: "12", signalId }),
      )
      expect(await withStore((store) => store.linkOfCase(caseId))).toEqual({
        caseId,
        referralId,
        schoolId: school,
        pupilNumber: "12",
        signalId,
      })
      await withStore((store) => store.link({ caseId, referralId, schoolId: school, pupilNumber: "13" }))
      const other = Ids.newId.case()
      await withStore((store) =>
        store.link({ caseId: other, referralId: Ids.newId.referral(), schoolId: school, pupilNumber: "11" }),
      )
      const links = await withStore((store) => store.linksOfSchool(school))
      expect(links.map((l) => [l.caseId, l.pupilNumber, l.signalId ?? null])).toEqual([
        [other, "11", null],
        [caseId, "13", null],
      ])
      expect(await withStore((store) => store.linkOfCase(Ids.newId.case()))).toBeUndefined()
    })

    it("purges a region's records before the date, keeps later ones, other regions' and the signals; pupils without records go", async () => {
      const purgeRegion = region(`purge-${backend}`)
      const school = newSchool()
      const elsewhere = newSchool()
      await withStore((store) =>
        store.replacePeriod(
          header(school, "2024-08-01", "2026-07-31", purgeRegion),
          (sink) =>
            sink.insert(
              [
                record("1", "2024-09-02"),
                record("1", "2025-09-01"),
                record("2", "2024-10-07"),
                record("3", "2024-10-08"),
              ],
              [
                { pupilNumber: "1", name: "Blijft" },
                { pupilNumber: "2", name: "Gaat" },
                { pupilNumber: "3", name: "Heeft een signaal" },
              ],
            ),
          () =>
            store.mergeSignals({ schoolId: school, regionId: purgeRegion, pupilNumbers: new Set(["3"]) }, [
              detected("3", "luxe-verzuim", "2024-10-08", 5),
            ]),
        ),
      )
      await importRows(header(elsewhere, "2024-08-01", "2024-12-31", OTHER_REGION), [
        record("1", "2024-09-02"),
      ])

      const removed = await withStore((store) => store.purge(purgeRegion, day("2025-08-01")))
      expect(removed).toBe(3)
      expect([...(await recordsOf(school)).values()].flat().map((r) => r.date)).toEqual(["2025-09-01"])
      expect([...(await recordsOf(elsewhere)).values()].flat()).toHaveLength(1)
      const pupils = await withStore((store) => store.pupils(school, ["1", "2", "3"]))
      expect([...pupils.keys()].sort()).toEqual(["1", "3"])
      expect(await withStore((store) => store.signals({ schoolId: school }))).toHaveLength(1)
      expect(await withStore((store) => store.purge(purgeRegion, day("2025-08-01")))).toBe(0)
    })
  })
})
