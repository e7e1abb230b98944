/**
 * The course of one synthetic case: the events a regiehouder would record, in order, keeping the
 * little state the fold checks (status, open actions, running interventions, meetings).
 *
 * @since 0.1.0
 */
import type { CaseEvent, ContactChannel } from "../CaseEvent.js"
import type {
  Action,
  Agreement,
  AttendanceSituation,
  InterventionResult,
  Meeting,
  MeetingKind,
  OutcomeKind,
  Participant,
} from "../CaseParts.js"
import type { ActionId, AgreementId, InterventionId, LeaveId, MeetingId } from "../Ids.js"
import * as LocalDate from "../LocalDate.js"
import type { PartyRole, RegiehouderRef, StaffRef } from "../Party.js"
import { displayName } from "../Pupil.js"
import type { Referral } from "../Referral.js"
import { ageOn } from "../rules/Age.js"
import type { VerlofGrond } from "../rules/Verlof.js"
import type { VrijstellingGrond } from "../rules/Vrijstelling.js"
import type { Timestamp } from "../Timestamp.js"
import type { CaseHistoryOptions, CourseServices } from "./options.js"
import type { SampleRegionId } from "./places.js"
import type { Random } from "./Random.js"
import { intakeRole, regiehouderRole, schoolRoles } from "./roles.js"
import {
  agreementTemplates,
  type CatalogueEntry,
  catalogues,
  contactSummaries,
  meetingSummaries,
} from "./texts.js"
import { Clock, plusDays } from "./time.js"

/** Builds the events of one case in order, keeping the little state the fold checks. */
export class CaseCourse {
  readonly events: Array<CaseEvent> = []
  private readonly random: Random
  private readonly clock: Clock
  private readonly region: SampleRegionId
  private readonly regiehouder: RegiehouderRef
  private readonly age: number
  private status: string
  private readonly openActions: Array<Action> = []
  private readonly openInterventions: Array<InterventionId> = []

  constructor(
    private readonly gen: CourseServices,
    private readonly referral: Referral,
    startMs: number,
    options: CaseHistoryOptions,
    close: boolean,
  ) {
    if (options.steps !== undefined && !(Number.isSafeInteger(options.steps) && options.steps >= 0)) {
      throw new RangeError(`steps must be a whole number from 0, got ${options.steps}`)
    }
    this.random = gen.random
    this.clock = new Clock(startMs, this.random)
    this.region = gen.regionOf(referral)
    // The regiehouder is a user of the region (a case-worker): the regie roles always have a user id.
    const regiehouder = gen.staff(regiehouderRole[this.region], referral.regionId)
    if (regiehouder.userId === undefined) throw new Error(`${regiehouder.role} has no user id`)
    this.regiehouder = { ...regiehouder, userId: regiehouder.userId }
    this.age = ageOn(referral.pupil.birthDate, this.clock.on)
    this.status = options.initialStatus ?? "aangemeld"

    this.events.push({
      _tag: "ReferralReceived",
      at: this.clock.at,
      by: gen.staff(intakeRole[this.region], referral.regionId),
      referral,
      initialStatus: this.status,
    })
    const plan = this.course()
    const steps = options.steps ?? (close ? plan : this.random.int(1, plan))
    while (this.events.length - 1 < steps) this.monitoringRound()
    if (this.events.length > steps + 1) {
      this.events.length = steps + 1
      // Closing follows the last kept event, not the end of the course that was cut off.
      const last = this.events[steps]
      if (last !== undefined) this.clock.reset(Date.parse(last.at))
    }
    if (close) this.close(steps < plan)
  }

  private get at(): Timestamp {
    return this.clock.at
  }

  private participant(ref: StaffRef, mandated = false): Participant {
    return {
      name: ref.name,
      role: ref.role,
      ...(ref.organisationId === undefined ? {} : { organisationId: ref.organisationId }),
      mandated,
    }
  }

  private staff(role: PartyRole): StaffRef {
    if (role === "smw-verzuim" || role === this.regiehouder.role) return this.regiehouder
    if (schoolRoles.has(role) && this.referral.pupil.enrolment !== undefined) {
      return this.gen.staff(role, this.referral.regionId, this.referral.pupil.enrolment.schoolId)
    }
    return this.gen.staff(role, this.referral.regionId)
  }

  private contact(role: PartyRole, channel: ContactChannel, minDays: number, maxDays: number): void {
    this.clock.days(minDays, maxDays)
    this.events.push({
      _tag: "ContactLogged",
      at: this.at,
      by: this.regiehouder,
      on: this.clock.on,
      with: role,
      channel,
      ...(this.random.chance(0.5) ? { summary: this.random.pick(contactSummaries) } : {}),
    })
  }

  private changeStatus(to: string, reason?: string): void {
    if (to === this.status) return
    this.clock.days(0, 1)
    this.events.push({
      _tag: "StatusChanged",
      at: this.at,
      by: this.regiehouder,
      from: this.status,
      to,
      ...(reason === undefined ? {} : { reason }),
    })
    this.status = to
  }

  private attendance(
    situation: AttendanceSituation,
    since: LocalDate.LocalDate,
    fittingOffer: boolean,
  ): void {
    this.clock.days(0, 2)
    this.events.push({
      _tag: "AttendanceRecorded",
      at: this.at,
      by: this.regiehouder,
      situation,
      since: since > this.clock.on ? this.clock.on : since,
      fittingOffer,
    })
  }

  private meeting(kind: MeetingKind): MeetingId {
    this.clock.days(5, 15)
    const parents = this.referral.parents
    const others: Array<Participant> = []
    if (kind === "doorbraakoverleg") {
      // Amstelland: each institution sends someone with doorzettingsmacht.
      for (const role of ["leerplichtambtenaar", "jeugdarts", "casemanager-swv", "hulpverlener"] as const) {
        others.push(this.participant(this.staff(role), true))
      }
      if (this.referral.pupil.enrolment !== undefined)
        others.push(this.participant(this.staff("teamleider"), true))
    } else {
      if (this.referral.pupil.enrolment !== undefined) {
        others.push(
          this.participant(this.staff(kind === "evaluatie" ? "mentor" : "coordinator-passend-onderwijs")),
        )
      }
      others.push(
        this.participant(this.staff(this.random.pick(["jeugdverpleegkundige", "jeugdarts"] as const))),
      )
      if (kind === "mdo") others.push(this.participant(this.staff("leerplichtambtenaar")))
    }
    const parent = parents[0]
    if (parent !== undefined) others.push({ name: parent.name, role: "ouder", mandated: false })
    if (this.age >= 12) {
      others.push({ name: displayName(this.referral.pupil.name), role: "leerling", mandated: false })
    }
    // The regiehouder chairs; in Amstelland the SWV casemanager is both regiehouder and mandated.
    const unique = others.filter((p) => p.name !== this.regiehouder.name || p.role !== this.regiehouder.role)
    const chair = this.participant(this.regiehouder, kind === "doorbraakoverleg")
    const meeting: Meeting = {
      id: this.gen.newId("mtg") as MeetingId,
      kind,
      heldOn: this.clock.on,
      participants: [chair, ...unique],
      ...(this.random.chance(0.8) ? { summary: this.random.pick(meetingSummaries) } : {}),
      reportFiled: this.random.chance(0.9),
    }
    this.events.push({ _tag: "MeetingHeld", at: this.at, by: this.regiehouder, meeting })
    return meeting.id
  }

  private agreementsAndActions(meetingId: MeetingId | undefined, count: number): void {
    const heldOn = this.clock.on
    for (const template of this.random.sample(agreementTemplates, count)) {
      this.clock.days(0, 0)
      const agreement: Agreement = {
        id: this.gen.newId("agr") as AgreementId,
        ...(meetingId === undefined ? {} : { meetingId }),
        madeOn: heldOn,
        description: template.description,
        parties: template.parties.map((r) => (r === "smw-verzuim" ? this.regiehouder.role : r)),
      }
      this.events.push({ _tag: "AgreementMade", at: this.at, by: this.regiehouder, agreement })
      for (const a of template.actions) {
        this.clock.days(0, 0)
        const action: Action = {
          id: this.gen.newId("act") as ActionId,
          description: a.description,
          owner: this.staff(a.owner),
          dueOn: plusDays(heldOn, this.random.int(7, 35)),
          agreementId: agreement.id,
        }
        this.events.push({ _tag: "ActionAssigned", at: this.at, by: this.regiehouder, action })
        this.openActions.push(action)
      }
    }
  }

  /** Completes (or now and then cancels) the open actions, earliest due first. */
  private finishActions(): void {
    this.openActions.sort((a, b) => LocalDate.compare(a.dueOn, b.dueOn))
    for (const action of this.openActions.splice(0)) {
      this.clock.days(1, 10)
      if (this.random.chance(0.1)) {
        this.events.push({
          _tag: "ActionCancelled",
          at: this.at,
          by: this.regiehouder,
          actionId: action.id,
          reason: "Niet meer nodig na het gesprek met ouders",
        })
      } else {
        this.events.push({
          _tag: "ActionCompleted",
          at: this.at,
          by: action.owner,
          actionId: action.id,
          on: this.clock.on,
        })
      }
    }
  }

  private startIntervention(): void {
    const options = catalogues[this.region].filter((c: CatalogueEntry) => c.minAge <= this.age)
    const entry = this.random.pick(options.length > 0 ? options : catalogues[this.region])
    this.clock.days(3, 14)
    const provider = this.gen.organisation("zorgaanbieder", this.referral.regionId)
    const id = this.gen.newId("int") as InterventionId
    this.events.push({
      _tag: "InterventionStarted",
      at: this.at,
      by: this.regiehouder,
      intervention: {
        id,
        catalogueCode: entry.code,
        label: entry.label,
        provider: provider.name,
        startedOn: this.clock.on,
      },
    })
    this.openInterventions.push(id)
  }

  private endInterventions(result: InterventionResult): void {
    for (const interventionId of this.openInterventions.splice(0)) {
      this.clock.days(0, 5)
      this.events.push({
        _tag: "InterventionEnded",
        at: this.at,
        by: this.regiehouder,
        interventionId,
        endedOn: this.clock.on,
        result,
      })
    }
  }

  private consentForCare(): void {
    // WGBO/Jeugdwet ladder for care data: under 12 the parents, 12–15 parents and pupil, 16+ the pupil.
    const subjects: ReadonlyArray<"ouders" | "leerling"> =
      this.age >= 16 ? ["leerling"] : this.age >= 12 ? ["ouders", "leerling"] : ["ouders"]
    for (const subject of subjects) {
      this.clock.days(0, 3)
      this.events.push({
        _tag: "ConsentRecorded",
        at: this.at,
        by: this.regiehouder,
        consent: {
          subject,
          givenBy: subject === "leerling" ? "leerling" : (this.referral.parents[0]?.relation ?? "ouder"),
          givenOn: this.clock.on,
          purposes: ["hulpverlening", "overleg-met-derden"],
          method: this.random.pick(["schriftelijk", "digitaal", "mondeling"] as const),
        },
      })
    }
  }

  /** The full course; returns how many events (after ReferralReceived) it made. */
  private course(): number {
    const r = this.referral
    const atHome = r.verzuimKind === "langdurig" || r.verzuimKind === "absoluut"
    const since = r.absence.since ?? this.clock.on
    this.contact(r.referrer.role, "telefoon", 0, 2)
    this.changeStatus("intake")
    this.contact("ouder", "telefoon", 0, 3)
    if (this.age >= 8) this.contact("leerling", "gesprek", 1, 5)
    this.clock.days(0, 3)
    this.events.push({
      _tag: "IntakeCompleted",
      at: this.at,
      by: this.regiehouder,
      on: this.clock.on,
      regiehouder: this.regiehouder,
      ...(this.random.chance(0.6)
        ? { summary: "Hulpvraag, zorgen en wat al is geprobeerd in kaart gebracht." }
        : {}),
    })
    this.changeStatus("in-behandeling", "intake afgerond")
    if (atHome) {
      this.attendance(r.pupil.enrolment === undefined ? "niet-ingeschreven" : "thuiszittend", since, false)
      this.exemption()
    } else this.leave()
    this.clock.days(2, 10)
    const attendees: [PartyRole, ...Array<PartyRole>] = ["ouder", "leerling", this.regiehouder.role]
    if (this.random.chance(0.2)) attendees.push("leerplichtambtenaar")
    this.events.push({
      _tag: "HomeVisitDone",
      at: this.at,
      by: this.regiehouder,
      on: this.clock.on,
      attendees,
      ...(this.random.chance(0.5)
        ? { summary: "Thuis gesproken met ouders en leerling over school en klachten." }
        : {}),
    })
    this.consentForCare()
    const network = this.random.sample(
      ["mentor", "jeugdverpleegkundige", "leerplichtambtenaar", "coordinator-passend-onderwijs"] as const,
      this.random.int(1, 3),
    )
    for (const role of network) this.contact(role, this.random.pick(["telefoon", "e-mail"] as const), 1, 4)
    const longAbsent = atHome && LocalDate.daysBetween(since, this.clock.on) > 91
    const kind: MeetingKind =
      this.region === "amstelland-meerlanden" && (longAbsent || (atHome && this.random.chance(0.4)))
        ? "doorbraakoverleg"
        : this.random.chance(0.8)
          ? "mdo"
          : "netwerkoverleg"
    const first = this.meeting(kind)
    this.agreementsAndActions(first, this.random.int(1, 3))
    this.startIntervention()
    this.finishActions()
    if (atHome || this.random.chance(0.5)) this.attendance("gedeeltelijk-naar-school", this.clock.on, true)
    const evaluation = this.meeting("evaluatie")
    this.agreementsAndActions(evaluation, this.random.int(0, 1))
    this.finishActions()
    this.attendance("naar-school", this.clock.on, true)
    this.endInterventions("afgerond")
    this.changeStatus("monitoring", "schoolgang hersteld")
    this.contact(r.referrer.role, "e-mail", 3, 10)
    return this.events.length - 1
  }

  /**
   * A number fixed by the referral, for choices that must not draw from the random stream: the
   * exemptions and leave came later than the rest of the course, and drawing for them would have
   * changed every history generated before them.
   */
  private get fixed(): number {
    let h = 0x811c9dc5
    for (const ch of this.referral.id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
    return h
  }

  /** About one in eight pupils at home gets a vrijstelling, of a ground that fits the pupil. */
  private exemption(): void {
    const h = this.fixed
    if (h % 8 !== 0) return
    const enrolled = this.referral.pupil.enrolment !== undefined
    const grounds: ReadonlyArray<VrijstellingGrond> = enrolled
      ? ["5a", "5a", "5b", "5c", "11-verlof"]
      : this.age >= 17
        ? ["5a", "5c", "15"]
        : ["5a", "5a", "5b", "5c", "5a-reizend"]
    const grond = grounds[(h >>> 3) % grounds.length] as VrijstellingGrond
    const from = this.clock.on
    this.clock.tick(7)
    this.events.push({
      _tag: "ExemptionRecorded",
      at: this.at,
      by: this.regiehouder,
      vrijstelling: {
        grond,
        from,
        ...(grond === "5a" && (h >>> 6) % 4 === 0 ? { permanent: true } : {}),
        ...(grond === "11-verlof" || grond === "15" ? { until: LocalDate.addDays(from, 56) } : {}),
      },
    })
  }

  /**
   * About one in five pupils not at home asks for leave a few weeks ahead: vakantieverlof (with or
   * without the parent's work as reason), gewichtige omstandigheden or religious obligations. The
   * school's directeur decides the same day; vakantieverlof without reason is refused.
   */
  private leave(): void {
    const h = this.fixed
    if (h % 5 !== 1) return
    const grounds: ReadonlyArray<VerlofGrond> = ["13a-vakantie", "14-gewichtig", "11-godsdienst"]
    const grond = grounds[(h >>> 3) % grounds.length] as VerlofGrond
    const on = this.clock.on
    const from = LocalDate.addDays(LocalDate.startOfWeek(on), 7 * (3 + ((h >>> 5) % 3)))
    const to = LocalDate.addDays(from, (h >>> 7) % 5)
    const beroepOuder = grond === "13a-vakantie" ? (h >>> 9) % 3 !== 0 : undefined
    const id = `verlof_${this.referral.id.slice(4)}` as LeaveId
    this.clock.tick(7)
    this.events.push({
      _tag: "LeaveRequested",
      at: this.at,
      by: this.staff("mentor"),
      request: {
        id,
        grond,
        from,
        to,
        requestedOn: on,
        ...(beroepOuder === undefined ? {} : { beroepOuder }),
      },
    })
    if (grond === "11-godsdienst") return
    this.clock.tick(7)
    this.events.push({
      _tag: "LeaveDecided",
      at: this.at,
      by: this.staff("mentor"),
      decision: { requestId: id, decidedOn: on, decidedBy: "directeur", granted: beroepOuder !== false },
    })
  }

  /** Follow-up after the course: contacts and now and then an evaluation with new agreements. */
  private monitoringRound(): void {
    if (this.random.chance(0.25)) {
      const id = this.meeting("evaluatie")
      this.agreementsAndActions(id, 1)
      this.finishActions()
    } else {
      this.contact(this.random.pick(["leerling", "ouder", "mentor"] as const), "telefoon", 7, 21)
    }
  }

  private close(cutShort: boolean): void {
    // Which actions and interventions are still open after the (maybe cut) course.
    const open = new Map<ActionId, StaffRef>()
    const running = new Set<InterventionId>()
    for (const e of this.events) {
      if (e._tag === "ActionAssigned") open.set(e.action.id, e.action.owner)
      else if (e._tag === "ActionCompleted" || e._tag === "ActionCancelled") open.delete(e.actionId)
      else if (e._tag === "InterventionStarted") running.add(e.intervention.id)
      else if (e._tag === "InterventionEnded") running.delete(e.interventionId)
    }
    for (const actionId of open.keys()) {
      this.clock.days(0, 1)
      this.events.push({
        _tag: "ActionCancelled",
        at: this.at,
        by: this.regiehouder,
        actionId,
        reason: "Casus wordt afgesloten",
      })
    }
    for (const interventionId of running) {
      this.clock.days(0, 1)
      this.events.push({
        _tag: "InterventionEnded",
        at: this.at,
        by: this.regiehouder,
        interventionId,
        endedOn: this.clock.on,
        result: cutShort ? "voortijdig-gestopt" : "overgedragen",
      })
    }
    const handOver = this.random.chance(cutShort ? 0.4 : 0.2)
    if (handOver) {
      this.clock.days(3, 14)
      const on = this.clock.on
      this.events.push({
        _tag: "HandedOver",
        at: this.at,
        by: this.regiehouder,
        on,
        to: this.gen.staff("hulpverlener", this.referral.regionId),
        summary: "Regie overgedragen; de hulpverlener is vanaf nu het aanspreekpunt.",
        // Westland: the regiehouder tells the referrer where the regie now lies.
        referrerInformedOn: on,
      })
    }
    this.clock.days(1, 10)
    const atHome = this.referral.verzuimKind === "langdurig" || this.referral.verzuimKind === "absoluut"
    const outcome: OutcomeKind = handOver
      ? "overgedragen"
      : cutShort
        ? this.random.pick(["verhuisd", "anders", "verzuim-opgelost"] as const)
        : atHome
          ? this.random.weighted<OutcomeKind>([
              ["terug-naar-school", 35],
              ["passende-onderwijsplek", 35],
              ["onderwijs-zorgarrangement", 25],
              ["vrijstelling", 5],
            ])
          : this.random.pick(["terug-naar-school", "verzuim-opgelost"] as const)
    this.events.push({
      _tag: "CaseClosed",
      at: this.at,
      by: this.regiehouder,
      on: this.clock.on,
      outcome: { kind: outcome },
      finalStatus: "afgesloten",
    })
  }
}
