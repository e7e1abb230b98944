/**
 * The absence use cases on a real store (SQLite; PostgreSQL with TEST_DATABASE_URL), a real
 * Westland region and real files: a school's CSV export read with an installation mapping, the
 * signals of planted pupils, corrections, refusals, who sees what, a referral from a signal, the
 * case following the data, the dossier's absence, the DUO meldingen and the retention purge.
 *
 * The school day is fixed (Monday 16 November 2026); the files hold the autumn of school year
 * 2026/27 in regio midden (herfstvakantie 17–25 October 2026).
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import {
  type AbsenceSignal,
  AbsenceSignals,
  Calendars,
  type Ids,
  LocalDate,
  type Referral,
} from "@verzuimregie/domain"
import { plantedPupils } from "@verzuimregie/domain/sample"
import { Fixtures, RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { AbsenceStore, Accounts, AuditLog, CaseStore, type Database, type Store } from "@verzuimregie/store"
import { Effect, Either, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import * as Absence from "../src/Absence.js"
import * as Cases from "../src/Cases.js"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
import * as Referrals from "../src/Referrals.js"
import * as Regions from "../src/Regions.js"
import { BACKENDS, type Backend, openStore, skip, type TestStore } from "./support/store.js"

const TODAY = LocalDate.make("2026-11-16")
const REGION = "westland" as Ids.RegionId
const PERIOD = { from: LocalDate.make("2026-09-01"), to: LocalDate.make("2026-11-13") }

/** The installation's own mapping: a made-up export with minutes and a code per row. */
const MAPPING = {
  name: "Testexport (installatie)",
  system: "anders",
  format: { delimiter: ";", encoding: "utf-8", dateFormat: "dd-mm-jjjj" },
  columns: {
    pupilNumber: "Leerlingnummer",
    name: "Naam",
    birthDate: "Geboortedatum",
    date: "Datum",
    code: "Code",
    minutes: "Minuten",
  },
  codes: {
    O: { kind: "ongeoorloofd", authorised: false, label: "Ongeoorloofd afwezig" },
    L: { kind: "luxe-verzuim", authorised: false, label: "Luxe verzuim" },
    Z: { kind: "ziek", authorised: true, label: "Ziek gemeld" },
    G: { kind: "geoorloofd", authorised: true, label: "Geoorloofd afwezig" },
    T: { kind: "te-laat", authorised: false, label: "Te laat" },
  },
}

interface Row {
  readonly pupil: string
  readonly date: string
  readonly code: string
  readonly minutes: number
}

const NAMES: Record<string, string> = {
  "1001": "Meldplicht Synthetisch",
  "1002": "Luxe Synthetisch",
  "1003": "Schoon Synthetisch",
  "1004": "Ziek Synthetisch",
  "1005": "Thuis Synthetisch",
}

/** A school day's lessons in minutes (a whole day at home). */
const DAY = 360

const days = (from: string, to: string) =>
  LocalDate.range(LocalDate.make(from), LocalDate.make(to)).filter((d) => !LocalDate.isWeekend(d))

/**
 * The planted pupils: 1001 meldplicht (18 hours in one week), 1002 luxe verzuim (two days after
 * the herfstvakantie), 1003 clean (an hour authorised, once 10 minutes late), 1004 M@ZL (four
 * separate sick days within 12 school weeks, on different weekdays), 1005 at home since 26
 * October (every school day unauthorised, to the end of the file).
 */
const planted = (options: { readonly meldplichtDays?: number; readonly homeUntil?: string } = {}) => {
  const rows: Array<Row> = []
  for (const date of ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"].slice(
    0,
    options.meldplichtDays ?? 4,
  ))
    rows.push({ pupil: "1001", date, code: "O", minutes: 270 })
  rows.push({ pupil: "1001", date: "2026-11-13", code: "G", minutes: 30 })
  rows.push({ pupil: "1002", date: "2026-10-26", code: "L", minutes: DAY })
  rows.push({ pupil: "1002", date: "2026-10-27", code: "L", minutes: DAY })
  rows.push({ pupil: "1003", date: "2026-10-05", code: "G", minutes: 60 })
  rows.push({ pupil: "1003", date: "2026-11-10", code: "T", minutes: 10 })
  for (const date of ["2026-09-14", "2026-09-30", "2026-10-15", "2026-11-10"])
    rows.push({ pupil: "1004", date, code: "Z", minutes: DAY })
  for (const date of days("2026-10-26", options.homeUntil ?? "2026-11-13"))
    rows.push({ pupil: "1005", date, code: "O", minutes: DAY })
  return rows
}

const dutch = (date: string) => `${date.slice(8, 10)}-${date.slice(5, 7)}-${date.slice(0, 4)}`

const csv = (rows: ReadonlyArray<Row>, extra: ReadonlyArray<string> = []) =>
  [
    "Leerlingnummer;Naam;Geboortedatum;Datum;Code;Minuten",
    ...rows.map(
      (r) =>
        `${r.pupil};${NAMES[r.pupil] ?? "Onbekend Synthetisch"};01-03-2013;${dutch(r.date)};${r.code};${r.minutes}`,
    ),
    ...extra,
  ].join("\r\n")

/** What the use cases need: the store's services, the regions, the caller, the mapping directory. */
type Needs =
  | Store.Services
  | Database.Database
  | Regions.Regions
  | CurrentPrincipal.CurrentPrincipal
  | Absence.MappingsDirectory

const regionConfig = (retentionSchoolYears?: number) =>
  Either.getOrThrow(
    RegionConfig.resolveConfig(
      "test",
      {
        version: 1,
        regions: [
          {
            id: REGION,
            name: "Westland",
            holidayRegion: "midden",
            municipalities: ["Westland"],
            plugin: "westland",
            ...(retentionSchoolYears === undefined ? {} : { absence: { retentionSchoolYears } }),
          },
        ],
      },
      [westland],
    ),
  )

for (const backend of BACKENDS)
  describe.skipIf(skip(backend))(`absence use cases (${backend})`, () => suite(backend))

function suite(backend: Backend) {
  let store: TestStore
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-absence-"))
  const mappingsDir = Path.join(dir, "koppelingen")
  Fs.mkdirSync(mappingsDir)
  Fs.writeFileSync(Path.join(mappingsDir, "testexport.json"), JSON.stringify(MAPPING))
  let regions = Regions.make(regionConfig(), () => TODAY)

  const run = <A, E>(caller: CurrentPrincipal.Caller | undefined, effect: Effect.Effect<A, E, Needs>) =>
    store.runtime.runPromise(
      (caller === undefined ? effect : CurrentPrincipal.provide(caller)(effect)).pipe(
        Effect.provideService(Regions.Regions, regions),
        Effect.provideService(Absence.MappingsDirectory, mappingsDir),
      ) as Effect.Effect<A, E, Store.Services | Database.Database>,
    )
  const fail = async <E>(caller: CurrentPrincipal.Caller, effect: Effect.Effect<unknown, E, Needs>) => {
    const exit = await run(caller, Effect.exit(effect))
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    if (failure === undefined) throw new Error(`expected a typed failure, got ${exit.cause._tag}`)
    return failure as E & { readonly _tag: string }
  }

  let n = 0
  const callerOf = (
    user: { readonly id: Ids.UserId; readonly organisationId: Ids.OrganisationId; readonly name: string },
    roles: ReadonlyArray<string>,
    regionIds: ReadonlyArray<string>,
    partyRole: string,
  ): CurrentPrincipal.Caller => ({
    principal: {
      userId: user.id,
      organisationId: user.organisationId,
      name: user.name,
      roles: roles as never,
      regions: regionIds as never,
      partyRole: partyRole as never,
      tokenId: "test",
      installationAdmin: false,
    },
    door: "api",
    requestId: `req-absence-${++n}`,
    purpose: "verzuimsignalering",
  })

  const makeUser = (
    org: Ids.OrganisationId,
    roles: ReadonlyArray<string>,
    regionIds: ReadonlyArray<string>,
    partyRole: string,
  ) =>
    run(
      undefined,
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const user = yield* accounts.createUser({
          organisationId: org,
          name: `Medewerker Synthetisch ${++n}` as never,
          email: `m${n}-${Math.random().toString(36).slice(2)}@example.org` as never,
          roles: roles as never,
          regions: regionIds as never,
          partyRole: partyRole as never,
        })
        return callerOf(user, roles, regionIds, partyRole)
      }),
    )

  let schoolA: { id: Ids.OrganisationId; name: string }
  let mentorA: CurrentPrincipal.Caller
  let mentorB: CurrentPrincipal.Caller
  let coordinator: CurrentPrincipal.Caller
  let worker: CurrentPrincipal.Caller
  let outsider: CurrentPrincipal.Caller

  beforeAll(async () => {
    store = await openStore(backend)
    const orgs = await run(
      undefined,
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const a = yield* accounts.createOrganisation({
          name: "Westlandcollege (synthetisch)",
          kind: "school",
        })
        const b = yield* accounts.createOrganisation({
          name: "Basisschool De Kas (synthetisch)",
          kind: "school",
        })
        const gemeente = yield* accounts.createOrganisation({
          name: "Gemeente Westland (synthetisch)",
          kind: "gemeente",
        })
        return { a, b, gemeente }
      }),
    )
    schoolA = orgs.a
    mentorA = await makeUser(orgs.a.id, ["school-verzuim"], [REGION], "mentor")
    mentorB = await makeUser(orgs.b.id, ["school-verzuim"], [REGION], "mentor")
    coordinator = await makeUser(orgs.gemeente.id, ["coordinator"], [REGION], "leerplichtambtenaar")
    worker = await makeUser(orgs.gemeente.id, ["case-worker"], [REGION], "smw-verzuim")
    outsider = await makeUser(orgs.gemeente.id, ["case-worker"], ["leidschendam-voorburg"], "smw-verzuim")
  })
  afterAll(async () => {
    await store?.close()
    Fs.rmSync(dir, { recursive: true, force: true })
  })

  let files = 0
  const file = (text: string, name = "export.csv") => {
    const path = Path.join(dir, `${++files}-${name}`)
    Fs.writeFileSync(path, text)
    return { path, name }
  }

  const importAs = (caller: CurrentPrincipal.Caller, text: string, options: { skipBadRows?: boolean } = {}) =>
    Absence.importFile({
      schoolId: caller.principal.organisationId,
      mapping: "testexport",
      period: PERIOD,
      file: file(text),
      skipBadRows: options.skipBadRows ?? false,
    })

  const recordCount = (school: Ids.OrganisationId) =>
    run(
      undefined,
      Effect.flatMap(AbsenceStore.AbsenceStore, (s) =>
        Effect.map(s.recordsOfSchool(school, LocalDate.make("2025-08-01"), TODAY), (m) =>
          [...m.values()].reduce((sum, rows) => sum + rows.length, 0),
        ),
      ),
    )

  const typesOf = (list: ReadonlyArray<Absence.SignalListItem>, pupil: string) =>
    list
      .filter((s) => s.pupil.pupilNumber === pupil && s.status !== "vervallen")
      .map((s) => s.type)
      .sort()

  it("lists the shipped example mappings and the installation's own", async () => {
    const list = await run(mentorA, Absence.mappings)
    expect(list).toContainEqual({
      name: "testexport",
      title: "Testexport (installatie)",
      system: "anders",
      example: false,
    })
    expect(list.some((m) => m.example)).toBe(true)
    expect((await fail(coordinator, Absence.mappings))._tag).toBe("Forbidden")
  })

  it("imports a school's file: each planted pupil gets its signal, the clean one none; audited without rows", async () => {
    const progress: Array<number> = []
    const report = await run(
      mentorA,
      Absence.importFile({
        schoolId: mentorA.principal.organisationId,
        mapping: "testexport",
        period: PERIOD,
        file: file(csv(planted())),
        skipBadRows: false,
        onProgress: (p) => progress.push(p.rows),
      }),
    )
    expect(report.outcome).toBe("geimporteerd")
    expect(report.problems).toEqual([])
    expect(report.rows.imported).toBe(planted().length)
    expect(report.format.kind).toBe("csv")
    expect(progress.length).toBeGreaterThan(0)
    expect(await recordCount(schoolA.id)).toBe(planted().length)

    const list = await run(mentorA, Absence.signals({}))
    expect(typesOf(list, "1001")).toEqual(["meldplicht"])
    expect(typesOf(list, "1002")).toEqual(["luxe-verzuim"])
    expect(typesOf(list, "1003")).toEqual([])
    expect(typesOf(list, "1004")).toEqual(["mazl-frequent"])
    expect(typesOf(list, "1005")).toContain("meldplicht")
    expect(list.find((s) => s.pupil.pupilNumber === "1001")?.pupil.name).toBe("Meldplicht Synthetisch")
    expect(report.signals.created).toBe(list.length)

    const records = await run(
      undefined,
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ requestId: mentorA.requestId })),
    )
    const create = records.items.find((r) => r.recordType === "absence-import")
    expect(create?.recordId).toBe(report.importId)
    expect(create?.context).toContain("2026-09-01")
    expect(JSON.stringify(records.items)).not.toContain("Synthetisch")
  })

  it("a corrected file replaces the period: the signal it no longer shows is withdrawn, nothing doubles", async () => {
    const corrected = planted({ meldplichtDays: 3 })
    const report = await run(mentorA, importAs(mentorA, csv(corrected)))
    expect(report.outcome).toBe("geimporteerd")
    expect(report.replaced).toBe(planted().length)
    expect(report.signals.withdrawn).toBeGreaterThanOrEqual(1)
    expect(await recordCount(schoolA.id)).toBe(corrected.length)
    const list = await run(mentorA, Absence.signals({}))
    expect(typesOf(list, "1001")).toEqual([])
    expect(list.find((s) => s.pupil.pupilNumber === "1001")?.status).toBe("vervallen")

    // The first file again: the same signal opens again, still one of it.
    const again = await run(mentorA, importAs(mentorA, csv(planted())))
    expect(again.outcome).toBe("geimporteerd")
    expect(await recordCount(schoolA.id)).toBe(planted().length)
    const after = await run(mentorA, Absence.signals({}))
    expect(after.filter((s) => s.pupil.pupilNumber === "1001" && s.type === "meldplicht")).toHaveLength(1)
    expect(typesOf(after, "1001")).toEqual(["meldplicht"])
  })

  it("refuses a file with a bad row as a whole: the report names line and column, the database is unchanged", async () => {
    const before = await recordCount(schoolA.id)
    const signalsBefore = await run(mentorA, Absence.signals({}))
    const rows = planted({ meldplichtDays: 2 })
    const text = csv(rows, ["1001;Meldplicht Synthetisch;01-03-2013;06-11-2026;X;60"])
    const report = await run(mentorA, importAs(mentorA, text))
    expect(report.outcome).toBe("geweigerd")
    expect(report.importId).toBeNull()
    expect(report.problemCount).toBe(1)
    expect(report.problems[0]?.line).toBe(rows.length + 2)
    expect(report.problems[0]?.column).toBe("Code")
    expect(report.problems[0]?.reason).toMatch(/[a-z]/)
    expect(await recordCount(schoolA.id)).toBe(before)
    const signalsAfter = await run(mentorA, Absence.signals({}))
    expect(signalsAfter.map((s) => [s.id, s.status])).toEqual(signalsBefore.map((s) => [s.id, s.status]))

    // Asked to skip bad rows: the rest lands, the report says which line was left out.
    const skipped = await run(mentorA, importAs(mentorA, text, { skipBadRows: true }))
    expect(skipped.outcome).toBe("geimporteerd")
    expect(skipped.skippedLines).toEqual([rows.length + 2])
    expect(skipped.rows.skipped).toBe(1)
    expect(await recordCount(schoolA.id)).toBe(rows.length)
    // Back to the full file for the tests below.
    await run(mentorA, importAs(mentorA, csv(planted())))
  })

  it("a school user reaches only their own school: another school's id or signal does not exist", async () => {
    const list = await run(mentorA, Absence.signals({ type: ["meldplicht"] }))
    const id = list[0]?.id as Ids.SignalId
    expect((await fail(mentorB, Absence.signal(id)))._tag).toBe("NotFound")
    expect((await fail(mentorB, Absence.markSeen(id, "Gesprek gepland")))._tag).toBe("NotFound")
    expect(await run(mentorB, Absence.signals({}))).toEqual([])
    const other = await fail(
      mentorB,
      Absence.importFile({
        schoolId: schoolA.id,
        mapping: "testexport",
        period: PERIOD,
        file: file(csv(planted())),
        skipBadRows: false,
      }),
    )
    expect(other._tag).toBe("NotFound")
    expect((await fail(worker, Absence.signals({})))._tag).toBe("Forbidden")
    expect((await fail(coordinator, Absence.signal(id)))._tag).toBe("Forbidden")
  })

  it("a signal's detail is an audited read; seen and no action need a note or reason, in Dutch", async () => {
    const list = await run(mentorA, Absence.signals({ type: ["mazl-frequent"] }))
    const id = list[0]?.id as Ids.SignalId
    const detail = await run(mentorA, Absence.signal(id))
    expect(detail.records.map((r) => r.kind)).toContain("ziek")
    expect(detail.pupilBirthDate).toBe("2013-03-01")
    const empty = await fail(mentorA, Absence.markSeen(id, "   "))
    expect(empty._tag).toBe("ValidationError")
    expect(JSON.stringify(empty)).toContain("Vul een notitie")
    const long = await fail(mentorA, Absence.markNoAction(id, "x".repeat(Absence.MAX_NOTE_LENGTH + 1)))
    expect(JSON.stringify(long)).toContain("hoogstens 500 tekens")
    const seen = await run(mentorA, Absence.markSeen(id, "Gesprek met ouders en jeugdarts gepland"))
    expect(seen.status).toBe("gezien")
    expect(seen.note).toBe("Gesprek met ouders en jeugdarts gepland")
    const closed = await run(mentorA, Absence.markNoAction(id, "Bekend bij de jeugdarts"))
    expect(closed.status).toBe("geen-actie")
    expect((await fail(mentorA, Absence.markSeen(id, "Nog eens")))._tag).toBe("SignalClosed")
    const audit = await run(
      undefined,
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ recordId: id })),
    )
    expect(audit.items.map((r) => r.action).sort()).toEqual(["read", "update", "update"])
    expect(JSON.stringify(audit.items)).not.toContain("Gesprek")
  })

  it("a coordinator sees counts per school and type, never pupils; under five as '< 5'", async () => {
    const rows = await run(coordinator, Absence.counts)
    const a = rows.filter((r) => r.schoolId === schoolA.id)
    expect(a.length).toBeGreaterThan(0)
    expect(a.every((r) => r.schoolName === "Westlandcollege (synthetisch)")).toBe(true)
    expect(a.find((r) => r.type === "luxe-verzuim")?.open).toBe("< 5")
    expect(JSON.stringify(rows)).not.toMatch(/100[1-5]|Synthetisch"/)
    expect((await fail(mentorA, Absence.counts))._tag).toBe("Forbidden")
  })

  it("DUO meldingen: meldplicht and luxe verzuim with hours and due date; status recorded; xlsx without names", async () => {
    const list = await run(mentorA, Absence.duoMeldingen)
    expect(list.map((m) => m.kind).sort()).toContain("luxe verzuim")
    const luxe = list.find((m) => m.kind === "luxe verzuim")
    expect(luxe?.hours).toBe(12)
    // Fired in October, due five working days later: late on 16 November without a status.
    expect(luxe?.late).toBe(true)
    expect(luxe && luxe.dueOn > luxe.from).toBe(true)
    const updated = await run(mentorA, Absence.setDuoStatus(luxe?.signalId as Ids.SignalId, "Geregistreerd"))
    expect(updated.status).toBe("Geregistreerd")
    const mazl = (await run(mentorA, Absence.signals({ type: ["mazl-frequent"] })))[0]
    expect((await fail(mentorA, Absence.setDuoStatus(mazl?.id as Ids.SignalId, "Geregistreerd")))._tag).toBe(
      "NotReportable",
    )
    const bytes = await run(mentorA, Absence.duoWorkbook)
    const book = XLSX.read(bytes, { type: "array" })
    const sheet = book.Sheets[book.SheetNames[0] as string]
    const cells = XLSX.utils.sheet_to_json<Array<unknown>>(sheet as XLSX.WorkSheet, { header: 1 })
    expect(cells[0]).toContain("Leerlingnummer")
    expect(JSON.stringify(cells)).not.toContain("Synthetisch")
    expect(JSON.stringify(cells)).toContain("Geregistreerd")
  })

  it("refers from a signal: the draft carries the summary, the signal is aangemeld, the case follows the data", async () => {
    const home = (await run(mentorA, Absence.signals({}))).find(
      (s) => s.pupil.pupilNumber === "1005" && s.type === "meldplicht",
    )
    const draft = await run(mentorA, Absence.referralDraft(home?.id as Ids.SignalId))
    expect(draft.verzuimKind).toBe("relatief")
    expect(draft.pupil).toEqual({ pupilNumber: "1005", name: "Thuis Synthetisch", birthDate: "2013-03-01" })
    expect(draft.absence.records.length).toBeGreaterThan(10)
    expect(draft.absence.unauthorisedHoursLast4Weeks).toBeGreaterThan(16)
    expect(draft.absence.description).toContain("Meldplicht")
    const base = Fixtures.referralFor(westland, { on: TODAY })
    const submission = {
      ...base,
      regionId: REGION,
      verzuimKind: draft.verzuimKind,
      absence: draft.absence,
      referrer: {
        ...base.referrer,
        name: mentorA.principal.name,
        role: mentorA.principal.partyRole,
        organisationId: mentorA.principal.organisationId,
      },
    } as Referral.ReferralSubmission
    // Another school's user cannot refer from this signal.
    expect(
      (
        await fail(
          mentorB,
          Referrals.submit(
            {
              ...submission,
              referrer: {
                ...submission.referrer,
                name: mentorB.principal.name,
                organisationId: mentorB.principal.organisationId,
              },
            } as never,
            { fromSignal: home?.id },
          ),
        )
      )._tag,
    ).toBe("NotFound")
    const receipt = await run(mentorA, Referrals.submit(submission, { fromSignal: home?.id }))
    const caseId = (receipt as { caseId: Ids.CaseId }).caseId
    const signal = await run(mentorA, Absence.signal(home?.id as Ids.SignalId))
    expect(signal.status).toBe("aangemeld")
    expect(signal.referralId).toBe(receipt.referralId)
    expect((await fail(mentorA, Referrals.submit(submission, { fromSignal: home?.id })))._tag).toBe(
      "SignalClosed",
    )

    // The case's attendance follows the school's data: at home since the first day of the stretch.
    const state = await run(
      undefined,
      Effect.flatMap(CaseStore.CaseStore, (s) => s.get(caseId, { regions: [REGION] })),
    )
    expect(state.attendance).toMatchObject({ situation: "thuiszittend", since: "2026-10-26" })

    // The case worker sees the pupil's absence in the dossier; another region's does not.
    const absence = await run(worker, Absence.caseAbsence(caseId))
    expect(absence.linked).toBe(true)
    expect(absence.pupilNumber).toBe("1005")
    expect(absence.homeSince).toBe("2026-10-26")
    expect(absence.totals.unauthorisedHours).toBe(days("2026-10-26", "2026-11-13").length * 6)
    expect(absence.signals.map((s) => s.type)).toContain("meldplicht")
    expect((await fail(outsider, Absence.caseAbsence(caseId)))._tag).toBe("NotFound")
    expect((await fail(mentorA, Absence.caseAbsence(caseId)))._tag).toBe("Forbidden")
    const audit = await run(
      undefined,
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ requestId: worker.requestId })),
    )
    expect(audit.items.map((r) => r.context)).toContain("api.case.read:verzuim")

    // A corrected file: back at school on 12 November. The import moves the case, as the system.
    await run(mentorA, importAs(mentorA, csv(planted({ homeUntil: "2026-11-11" }))))
    const back = await run(
      undefined,
      Effect.flatMap(CaseStore.CaseStore, (s) => s.get(caseId, { regions: [REGION] })),
    )
    expect(back.attendance).toMatchObject({ situation: "naar-school", since: "2026-11-12" })
    const timeline = await run(worker, Cases.timeline(caseId))
    const last = timeline[timeline.length - 1]?.event
    expect(last?._tag).toBe("AttendanceRecorded")
    expect(last?.by.userId).toBe("user_verzuimimport")

    // At home again in the next file: the case follows once more.
    await run(mentorA, importAs(mentorA, csv(planted())))
    const again = await run(
      undefined,
      Effect.flatMap(CaseStore.CaseStore, (s) => s.get(caseId, { regions: [REGION] })),
    )
    expect(again.attendance?.situation).toBe("thuiszittend")
  })

  it("the planted pupils of the signals' fixture, imported as a school's file, give exactly their signals", async () => {
    // The fixture needs 20 school weeks of the year before its peildatum.
    const asOf = LocalDate.make("2027-03-19")
    const pupils = plantedPupils({ schoolYear: 2026, calendars: Calendars.byRegion.midden, asOf })
    const codeOf = (kind: string) =>
      ({ ongeoorloofd: "O", "luxe-verzuim": "L", ziek: "Z", geoorloofd: "G", "te-laat": "T" })[kind] ?? "?"
    const lines = pupils.flatMap((p) =>
      p.records.map(
        (r) =>
          `${p.pupilNumber};Leerling Synthetisch;${dutch(p.birthDate)};${dutch(r.date)};${codeOf(r.kind)};${Math.round(
            (r.amount.unit === "hours" ? r.amount.value : (r.amount.value * 50) / 60) * 60,
          )}`,
      ),
    )
    const school = await run(
      undefined,
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.createOrganisation({ name: "Lyceum Het Planten (synthetisch)", kind: "school" }),
      ),
    )
    const mentor = await makeUser(school.id, ["school-verzuim"], [REGION], "mentor")
    regions = Regions.make(regionConfig(), () => asOf)
    try {
      const report = await run(
        mentor,
        Absence.importFile({
          schoolId: school.id,
          mapping: "testexport",
          period: { from: LocalDate.make("2026-08-01"), to: asOf },
          file: file(["Leerlingnummer;Naam;Geboortedatum;Datum;Code;Minuten", ...lines].join("\n")),
          skipBadRows: false,
        }),
      )
      expect(report.problems).toEqual([])
      expect(report.outcome).toBe("geimporteerd")
      const list = await run(mentor, Absence.signals({}))
      // The fixture names each type once; a pupil at home for weeks has a meldplicht signal per melding.
      const found = Object.fromEntries(
        pupils.map((p) => [p.pupilNumber, [...new Set(typesOf(list, p.pupilNumber))]]),
      )
      const expected = Object.fromEntries(pupils.map((p) => [p.pupilNumber, [...p.expected].sort()]))
      expect(found).toEqual(expected)
    } finally {
      regions = Regions.make(regionConfig(), () => TODAY)
    }
  })

  it("a school with more pupils than one classification group gets the signals of classifying the whole school at once", async () => {
    // The fixture's planted pupils, 100 times over (over 500 pupils: several groups of the import's
    // classification), imported in two periods: the second import's groups also read the first's records.
    const asOf = LocalDate.make("2027-03-19")
    const fixture = plantedPupils({ schoolYear: 2026, calendars: Calendars.byRegion.midden, asOf })
    const codeOf = (kind: string) =>
      ({ ongeoorloofd: "O", "luxe-verzuim": "L", ziek: "Z", geoorloofd: "G", "te-laat": "T" })[kind] ?? "?"
    const lines = (from: string, to: string) =>
      Array.from({ length: 100 }, (_, copy) =>
        fixture.flatMap((p) =>
          p.records
            .filter((r) => r.date >= from && r.date <= to)
            .map(
              (r) =>
                `${p.pupilNumber}${String(copy).padStart(2, "0")};Leerling Synthetisch;${dutch(p.birthDate)};${dutch(r.date)};${codeOf(r.kind)};${Math.round(
                  (r.amount.unit === "hours" ? r.amount.value : (r.amount.value * 50) / 60) * 60,
                )}`,
            ),
        ),
      ).flat()
    const school = await run(
      undefined,
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.createOrganisation({ name: "Scholengemeenschap De Groep (synthetisch)", kind: "school" }),
      ),
    )
    const mentor = await makeUser(school.id, ["school-verzuim"], [REGION], "mentor")
    regions = Regions.make(regionConfig(), () => asOf)
    /** The signals of the whole school classified in one go, from the store's records (the oracle). */
    const atOnce = () =>
      run(
        undefined,
        Effect.gen(function* () {
          const absence = yield* AbsenceStore.AbsenceStore
          const region = regions.all[0] as (typeof regions.all)[number]
          const records = yield* absence.recordsOfSchool(school.id, Absence.retentionStart(asOf, 2), asOf)
          const pupils = yield* absence.pupils(school.id, [...records.keys()])
          return AbsenceSignals.classify(
            [...records].map(([pupilNumber, rows]) => ({
              pupilNumber,
              records: rows.map(Absence.toRecord),
              birthDate: pupils.get(pupilNumber)?.birthDate,
            })),
            Absence.schoolCalendars(region, school),
            asOf,
            {
              reportingDuty: region.thresholds.reportingDuty,
              mazl: region.thresholds.mazl,
              grijs: region.thresholds.grijsVerzuim,
            },
          )
        }),
      )
    const stored = () =>
      run(
        undefined,
        Effect.flatMap(AbsenceStore.AbsenceStore, (a) => a.signals({ schoolId: school.id })),
      )
    const same = (list: ReadonlyArray<AbsenceSignal.DetectedSignal>) =>
      list
        .map((s) =>
          [s.pupilNumber, s.key, s.type, s.from, s.to, s.firesOn, s.measure, s.explanation].join("|"),
        )
        .sort()
    try {
      const first = lines("2026-08-01", "2026-12-31")
      const importPeriod = async (from: string, to: string, rows: ReadonlyArray<string>) =>
        run(
          mentor,
          Absence.importFile({
            schoolId: school.id,
            mapping: "testexport",
            period: { from: LocalDate.make(from), to: LocalDate.make(to) },
            file: file(["Leerlingnummer;Naam;Geboortedatum;Datum;Code;Minuten", ...rows].join("\n")),
            skipBadRows: false,
          }),
        )
      const one = await importPeriod("2026-08-01", "2026-12-31", first)
      expect(one.outcome).toBe("geimporteerd")
      expect(new Set(first.map((l) => l.split(";")[0])).size).toBeGreaterThan(500)
      const expectedOne = await atOnce()
      expect(expectedOne.length).toBeGreaterThan(0)
      expect(same((await stored()).filter((s) => s.status !== "vervallen"))).toEqual(same(expectedOne))

      const two = await importPeriod("2027-01-01", asOf, lines("2027-01-01", asOf))
      expect(two.outcome).toBe("geimporteerd")
      const expectedTwo = await atOnce()
      expect(same((await stored()).filter((s) => s.status !== "vervallen"))).toEqual(same(expectedTwo))
      // Every signal the first import made and the whole school no longer shows is withdrawn.
      const open = new Set(same(expectedTwo))
      const gone = (await stored()).filter((s) => s.status === "vervallen")
      for (const s of gone) expect(open.has(same([s])[0] as string)).toBe(false)
    } finally {
      regions = Regions.make(regionConfig(), () => TODAY)
    }
  })

  it("retention: records older than the region's school years are purged, audited, counted", async () => {
    const june = { from: LocalDate.make("2026-06-01"), to: LocalDate.make("2026-06-30") }
    const old = [
      { pupil: "1001", date: "2026-06-08", code: "O", minutes: 60 },
      { pupil: "1003", date: "2026-06-09", code: "G", minutes: 60 },
    ]
    const report = await run(
      mentorA,
      Absence.importFile({
        schoolId: schoolA.id,
        mapping: "testexport",
        period: june,
        file: file(csv(old)),
        skipBadRows: false,
      }),
    )
    expect(report.outcome).toBe("geimporteerd")
    const before = await recordCount(schoolA.id)
    // Default: the current and the previous school year stay.
    expect(await run(undefined, Absence.purgeExpired)).toEqual([
      { regionId: REGION, before: "2025-08-01", purged: 0 },
    ])
    regions = Regions.make(regionConfig(1), () => TODAY)
    const purged = await run(undefined, Absence.purgeExpired)
    expect(purged).toEqual([{ regionId: REGION, before: "2026-08-01", purged: 2 }])
    expect(await recordCount(schoolA.id)).toBe(before - 2)
    const audit = await run(
      undefined,
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ userId: "user_huishouding" as Ids.UserId })),
    )
    expect(audit.items[0]?.context).toContain("2026-08-01")
    expect(audit.items[0]?.regionId).toBe(REGION)
    regions = Regions.make(regionConfig(), () => TODAY)
  })
}
