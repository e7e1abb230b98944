/**
 * Shapes of the API's own requests and responses, beyond the domain records they carry.
 */
import {
  Access,
  Case,
  CaseEvent,
  CaseParts,
  Fields,
  Ids,
  LocalDate,
  Referral,
  Text,
  Timestamp,
} from "@verzuimregie/domain"
import { AuditLog } from "@verzuimregie/store"
import { Schema } from "effect"

export const CaseIdParams = Schema.Struct({ caseId: Ids.CaseId })
export const ReferralIdParams = Schema.Struct({ referralId: Ids.ReferralId })
export const RegionIdParams = Schema.Struct({ regionId: Ids.RegionId })
export const PluginIdParams = Schema.Struct({ pluginId: Ids.PluginId })
export const UserIdParams = Schema.Struct({ userId: Ids.UserId })
export const TokenIdParams = Schema.Struct({ tokenId: Schema.String.pipe(Schema.pattern(/^[0-9a-z]{16}$/)) })

/** Query values arrive as strings; a list may come as a repeated parameter. */
const OneOrMany = <A, I extends string>(s: Schema.Schema<A, I>) =>
  Schema.Union(s, Schema.Array(s).pipe(Schema.maxItems(20)))

const Limit = Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)).annotations({
  description: "Paginagrootte, 1–500 (standaard 50)",
})
const Cursor = Schema.String.pipe(Schema.maxLength(500)).annotations({
  description: "Uit nextCursor van de vorige pagina",
})

export const PageQuery = { cursor: Fields.optional(Cursor), limit: Fields.optional(Limit) }

export const CaseListQuery = Schema.Struct({
  regionId: Fields.optional(OneOrMany(Ids.RegionId)),
  status: Fields.optional(OneOrMany(CaseEvent.StatusId)),
  regiehouder: Fields.optional(Ids.UserId),
  school: Fields.optional(Ids.OrganisationId),
  open: Fields.optional(Schema.Literal("true", "false")),
  openedFrom: Fields.optional(LocalDate.LocalDate),
  openedTo: Fields.optional(LocalDate.LocalDate),
  ...PageQuery,
}).annotations({ identifier: "CaseListQuery" })

export const ListQuery = Schema.Struct({ ...PageQuery })

export const DueQuery = Schema.Struct({
  regionId: Fields.optional(Ids.RegionId),
  before: Fields.optional(LocalDate.LocalDate),
  ...PageQuery,
})

export const AuditQuery = Schema.Struct({
  recordId: Fields.optional(AuditLog.RecordId),
  userId: Fields.optional(Ids.UserId),
  requestId: Fields.optional(AuditLog.RequestId),
  ...PageQuery,
})

/** A page of results with an opaque cursor for the next one. */
export const PageOf = <A, I>(item: Schema.Schema<A, I>, identifier: string) =>
  Schema.Struct({
    items: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String),
  }).annotations({ identifier })

export const StatusRef = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
})

export const CaseSummary = Schema.Struct({
  caseId: Ids.CaseId,
  regionId: Ids.RegionId,
  version: Schema.Int,
  status: StatusRef,
  openedAt: Timestamp.Timestamp,
  lastEventAt: Timestamp.Timestamp,
  school: Schema.NullOr(Schema.String),
  regiehouder: Schema.NullOr(Schema.String),
  openActions: Schema.Int,
  nextActionDue: Schema.NullOr(LocalDate.LocalDate),
  attendance: Schema.NullOr(CaseParts.AttendanceSituation),
  closedOn: Schema.NullOr(LocalDate.LocalDate),
}).annotations({ identifier: "CaseSummary" })
export type CaseSummary = typeof CaseSummary.Type

/** A school a referral can name as the pupil's (`Referrals.schools`). */
const SchoolChoice = Schema.Struct({
  id: Ids.OrganisationId,
  name: Schema.String,
  brin: Schema.NullOr(Schema.String),
}).annotations({ identifier: "SchoolChoice" })

export const ReferralSchools = Schema.Struct({
  schools: Schema.Array(SchoolChoice),
  /** The caller's own organisation when it is a school: the pupil's school by default. */
  own: Schema.NullOr(SchoolChoice),
}).annotations({ identifier: "ReferralSchools" })

/** The werkvoorraad's filters (`GET /cases/werkvoorraad`): ids and codes only, never personal data. */
export const WorkListQuery = Schema.Struct({
  list: Fields.optional(
    Schema.Literal("mine", "region").annotations({
      description:
        "mine (standaard): de open casussen waarvan u regiehouder bent; region: alle open casussen van uw regio's",
    }),
  ),
  status: Fields.optional(CaseEvent.StatusId),
  regiehouder: Fields.optional(Ids.UserId),
  school: Fields.optional(Ids.OrganisationId),
  sort: Fields.optional(
    Schema.Literal("urgentie", "nieuwste").annotations({
      description:
        "urgentie (standaard): verlopen termijnen eerst, dan de eerstvolgende termijn; nieuwste: nieuwste casus eerst",
    }),
  ),
  ...PageQuery,
}).annotations({ identifier: "WorkListQuery" })

/** A case as a working list shows it to the people who work it (`Cases.workList`, `Cases.findPupil`). */
export const WorkRow = Schema.Struct({
  ...CaseSummary.fields,
  pupil: Schema.Struct({ name: Schema.String, birthDate: LocalDate.LocalDate }),
  schoolId: Schema.NullOr(Ids.OrganisationId),
  regiehouderId: Schema.NullOr(Ids.UserId),
  daysOpen: Schema.Int,
  nextDeadline: Schema.NullOr(
    Schema.Struct({
      label: Schema.String,
      dueOn: LocalDate.LocalDate,
      status: Schema.Literal("verlopen", "binnenkort", "open"),
    }),
  ),
  categorie: Schema.NullOr(Schema.Literal("1", "2a", "2b")),
  pact: Schema.NullOr(
    Schema.Struct({ status: Schema.Literal("waarschuwing", "alarm"), limitDate: LocalDate.LocalDate }),
  ),
}).annotations({ identifier: "WorkRow" })

const FilterChoice = Schema.Struct({ id: Schema.String, label: Schema.String }).annotations({
  identifier: "FilterChoice",
})

export const WorkListPage = Schema.Struct({
  items: Schema.Array(WorkRow),
  nextCursor: Schema.NullOr(Schema.String),
  /** More open cases than one list reads (`Cases.MAX_WORK_LIST_CASES`): narrow the filters. */
  truncated: Schema.Boolean,
  /** The filter choices that occur in the list: statuses, regiehouders and schools, with their names. */
  choices: Schema.Struct({
    statuses: Schema.Array(FilterChoice),
    regiehouders: Schema.Array(FilterChoice),
    schools: Schema.Array(FilterChoice),
  }),
}).annotations({ identifier: "WorkListPage" })

/** A search for a pupil (`POST /cases/search`): in the body, so no name, birth date or BSN is in a URL. */
export const PupilSearchBody = Schema.Struct({
  name: Fields.optional(
    Schema.String.pipe(Schema.maxLength(100)).annotations({
      description: "Een deel van de naam (2 tot 100 tekens)",
    }),
  ),
  birthDate: Fields.optional(
    Schema.String.pipe(Schema.maxLength(10)).annotations({ description: "Geboortedatum, JJJJ-MM-DD" }),
  ),
  personNumber: Fields.optional(
    Schema.String.pipe(Schema.maxLength(20)).annotations({
      description: "BSN of onderwijsnummer: 9 cijfers",
    }),
  ),
  cursor: Fields.optional(Cursor),
  limit: Fields.optional(
    Schema.Int.pipe(Schema.between(1, 500)).annotations({
      description: "Paginagrootte, 1–500 (standaard 50)",
    }),
  ),
}).annotations({ identifier: "PupilSearchBody" })

export const AvailableTransition = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
  to: Schema.String,
  allowed: Schema.Boolean,
  reasons: Schema.Array(Schema.String),
  outcomes: Schema.Array(CaseParts.OutcomeKind),
}).annotations({ identifier: "AvailableTransition" })

export const DeadlineView = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
  dueOn: LocalDate.LocalDate,
  metOn: Schema.NullOr(LocalDate.LocalDate),
  status: Schema.Literal("open", "binnenkort", "verlopen", "gehaald", "te-laat-gehaald"),
}).annotations({ identifier: "DeadlineView" })

export const CaseDetail = Schema.Struct({
  case: Case.CaseState,
  status: StatusRef,
  transitions: Schema.Array(AvailableTransition),
  deadlines: Schema.Array(DeadlineView),
  signals: Schema.Struct({
    /** National rules that fire on the referral's data on the peildatum, in Dutch. */
    rules: Schema.Array(
      Schema.Struct({
        rule: Schema.String,
        severity: Schema.Literal("info", "waarschuwing", "alarm"),
        message: Schema.String,
      }),
    ),
    categorie: Schema.NullOr(Schema.Literal("1", "2a", "2b")),
    pact: Schema.NullOr(
      Schema.Struct({
        status: Schema.Literal("ok", "waarschuwing", "alarm"),
        limitDate: LocalDate.LocalDate,
        daysRemaining: Schema.Int,
      }),
    ),
  }),
}).annotations({ identifier: "CaseDetail" })

export const TimelineEntry = Schema.Struct({
  version: Schema.Int,
  recordedAt: Timestamp.Timestamp,
  label: Schema.String,
  event: CaseEvent.CaseEvent,
}).annotations({ identifier: "TimelineEntry" })

/** A case event as a client logs it: `at` and `by` are set by the gateway. */
const input = <
  F extends Schema.Struct.Fields & { readonly at: Schema.Struct.Field; readonly by: Schema.Struct.Field },
>(
  schema: { readonly fields: F },
  identifier: string,
) => {
  const { at: _at, by: _by, ...fields } = schema.fields
  return Schema.Struct(fields as Omit<F, "at" | "by">).annotations({ identifier: `${identifier}Input` })
}

/** Every event a case worker may log; status changes and closing go through transitions. */
export const EventInput = Schema.Union(
  input(CaseEvent.IntakeCompleted, "IntakeCompleted"),
  input(CaseEvent.RegiehouderAssigned, "RegiehouderAssigned"),
  input(CaseEvent.RegiehouderChanged, "RegiehouderChanged"),
  input(CaseEvent.ContactLogged, "ContactLogged"),
  input(CaseEvent.HomeVisitDone, "HomeVisitDone"),
  input(CaseEvent.MeetingHeld, "MeetingHeld"),
  input(CaseEvent.AgreementMade, "AgreementMade"),
  input(CaseEvent.ActionAssigned, "ActionAssigned"),
  input(CaseEvent.ActionCompleted, "ActionCompleted"),
  input(CaseEvent.ActionCancelled, "ActionCancelled"),
  input(CaseEvent.InterventionStarted, "InterventionStarted"),
  input(CaseEvent.InterventionEnded, "InterventionEnded"),
  input(CaseEvent.ConsentRecorded, "ConsentRecorded"),
  input(CaseEvent.ConsentWithdrawn, "ConsentWithdrawn"),
  input(CaseEvent.ParentsInformed, "ParentsInformed"),
  input(CaseEvent.AttendanceRecorded, "AttendanceRecorded"),
  input(CaseEvent.ExemptionRecorded, "ExemptionRecorded"),
  input(CaseEvent.LeaveRequested, "LeaveRequested"),
  input(CaseEvent.LeaveDecided, "LeaveDecided"),
  input(CaseEvent.HandedOver, "HandedOver"),
).annotations({
  identifier: "EventInput",
  description: "Een gebeurtenis zonder `at` en `by`; die vult de gateway in.",
})
export type EventInput = typeof EventInput.Type

export const LogEventBody = Schema.Struct({
  /** The case version the client read: a stale version answers 409. */
  expectedVersion: Schema.Int.pipe(Schema.positive()),
  event: EventInput,
}).annotations({ identifier: "LogEventBody" })

export const TransitionBody = Schema.Struct({
  expectedVersion: Schema.Int.pipe(Schema.positive()),
  transition: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,63}$/)),
  reason: Fields.optional(Text.ShortText),
  outcome: Fields.optional(CaseParts.Outcome),
}).annotations({ identifier: "TransitionBody" })

export const CaseChanged = Schema.Struct({
  caseId: Ids.CaseId,
  version: Schema.Int,
  status: StatusRef,
}).annotations({ identifier: "CaseChanged" })

export const ReferralReceipt = Schema.Struct({
  referralId: Ids.ReferralId,
  caseId: Fields.optional(Ids.CaseId).annotations({
    description:
      "De casus die de aanmelding opende; ontbreekt als ze is toegevoegd aan een casus die al liep",
  }),
  regionId: Ids.RegionId,
  status: Fields.optional(StatusRef).annotations({
    description: "Ontbreekt als de aanmelding is toegevoegd aan een casus die al liep",
  }),
  submittedAt: Timestamp.Timestamp,
  addedToOpenCase: Schema.Boolean.annotations({
    description:
      "Waar als de leerling in de regio al een lopende casus had en de plug-in van de regio een volgende aanmelding daaraan toevoegt (whenAlreadyOpen: link): geen nieuwe casus, en die casus wordt niet getoond",
  }),
}).annotations({ identifier: "ReferralReceipt" })

/** What a referrer sees of their referral: its status, not the case file. */
export const ReferralStatus = Schema.Struct({
  referralId: Ids.ReferralId,
  caseId: Ids.CaseId,
  regionId: Ids.RegionId,
  status: StatusRef,
  statusAt: Timestamp.Timestamp.annotations({ description: "Wanneer de casus voor het laatst veranderde" }),
  submittedAt: Timestamp.Timestamp,
  closedOn: Schema.NullOr(LocalDate.LocalDate),
  reason: Schema.NullOr(Schema.String).annotations({
    description: "Waarom de casus is afgesloten (de soort uitkomst, geen vrije tekst)",
  }),
  handedOverTo: Schema.NullOr(
    Schema.Struct({
      on: LocalDate.LocalDate,
      organisationId: Schema.NullOr(Ids.OrganisationId),
      role: Schema.String,
      roleLabel: Schema.String,
    }).annotations({
      identifier: "ReferralHandover",
      description: "Aan wie de regie is overgedragen: organisatie en rol, nooit de naam van een medewerker",
    }),
  ),
  pupil: Schema.String.annotations({ description: "De naam van de leerling, zoals de aanmelder die opgaf" }),
}).annotations({ identifier: "ReferralStatus" })

export const RegionSummary = Schema.Struct({
  id: Ids.RegionId,
  name: Schema.String,
  holidayRegion: Schema.String,
  municipalities: Schema.Array(Schema.String),
  plugin: Schema.Struct({ id: Schema.String, name: Schema.String, version: Schema.String }),
}).annotations({ identifier: "RegionSummary" })

export const RegionDetail = Schema.Struct({
  region: RegionSummary,
  manifest: Schema.Unknown,
  referralForm: Schema.Struct({
    referrerRoles: Schema.Array(Schema.String),
    verzuimKinds: Schema.NullOr(Schema.Array(Referral.VerzuimKind)),
    consentPolicy: Schema.String,
    consentAlwaysRecorded: Schema.Boolean,
    extensionSchema: Schema.Unknown,
    example: Schema.Unknown,
  }),
  workflow: Schema.Struct({
    initial: Schema.String,
    states: Schema.Array(
      Schema.Struct({
        id: Schema.String,
        label: Schema.String,
        description: Schema.String,
        final: Schema.Boolean,
      }),
    ),
    transitions: Schema.Array(
      Schema.Struct({
        id: Schema.String,
        label: Schema.String,
        from: Schema.Array(Schema.String),
        to: Schema.String,
        roles: Schema.Array(Access.UserRole),
        requires: Schema.Array(Schema.String),
        outcomes: Schema.Array(CaseParts.OutcomeKind),
      }),
    ),
  }),
  catalogue: Schema.Array(
    Schema.Struct({
      code: Schema.String,
      label: Schema.String,
      description: Schema.String,
      minAge: Schema.NullOr(Schema.Int).annotations({
        description: "Jongste leeftijd (jaren) waarvoor de interventie is; null: geen ondergrens",
      }),
      maxAge: Schema.NullOr(Schema.Int).annotations({
        description: "Oudste leeftijd (jaren) waarvoor de interventie is; null: geen bovengrens",
      }),
    }),
  ),
  deadlines: Schema.Array(Schema.Struct({ id: Schema.String, label: Schema.String })),
  reportColumns: Schema.Array(
    Schema.Struct({
      key: Schema.String,
      header: Schema.String,
      kind: Schema.String,
      personal: Schema.Boolean,
    }),
  ),
}).annotations({ identifier: "RegionDetail" })

export const Health = Schema.Struct({ status: Schema.Literal("ok", "ready") }).annotations({
  identifier: "Health",
})

/** The mail outbox as `/ready` reports it: counts and an instant, never a message. */
export const MailBacklog = Schema.Struct({
  waiting: Schema.Int.annotations({
    description: "Mail die nog niet bezorgd is (in de wachtrij of onderweg)",
  }),
  retrying: Schema.Int.annotations({
    description: "Daarvan: mail die minstens één keer mislukte en op een nieuwe poging wacht",
  }),
  oldestWaitingSince: Fields.optional(
    Schema.String.annotations({ description: "Wanneer de oudste wachtende mail in de wachtrij kwam" }),
  ),
  deadLetters: Schema.Int.annotations({
    description: "Opgegeven mail (zie verzuimregie-admin mail dead-letters)",
  }),
}).annotations({ identifier: "MailBacklog" })

/** Ready, with the mail backlog: a backlog does not make the instance unready (mail waits). */
export const Ready = Schema.Struct({ status: Schema.Literal("ready"), mail: MailBacklog }).annotations({
  identifier: "Ready",
})

/** One item of the personal inbox (`GET /me/inbox`): what needs the caller, with the page to do it on. */
export const InboxItem = Schema.Struct({
  kind: Schema.Literal("actie", "aanmelding", "termijn", "pact", "verzuimsignaal").annotations({
    description:
      "actie: een actie van u; aanmelding: nieuwe aanmelding wacht op intake; termijn: een termijn van een casus waarvan u regiehouder bent; pact: Thuiszitterspact-signaal van uw casus; verzuimsignaal: nieuw signaal van uw school",
  }),
  id: Schema.String,
  title: Schema.String,
  subject: Schema.NullOr(Schema.String).annotations({ description: "De leerling, als u die mag zien" }),
  urgency: Schema.Literal("verlopen", "vandaag", "binnenkort", "nieuw").annotations({
    description:
      "verlopen vanaf de dag na de datum; binnenkort binnen 7 dagen (acties) of 3 dagen (termijnen)",
  }),
  dueOn: Schema.NullOr(LocalDate.LocalDate),
  caseId: Schema.NullOr(Ids.CaseId),
  signalId: Schema.NullOr(Ids.SignalId),
  href: Schema.String.annotations({ description: "De pagina in de webapp waar u het afhandelt" }),
}).annotations({ identifier: "InboxItem" })

export const Inbox = Schema.Struct({
  asOf: LocalDate.LocalDate,
  items: Schema.Array(InboxItem),
  /** More cases than one request reads: the list is not complete. */
  truncated: Schema.Boolean,
}).annotations({ identifier: "Inbox" })
