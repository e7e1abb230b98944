/**
 * Meldingen (`/instellingen/meldingen`): which notifications a person receives by e-mail and how:
 * per kind direct, in the daily digest, or off, and the hour of the digest (Europe/Amsterdam). The
 * page runs `Notifications` of `@verzuimregie/app` (the API's `/me/notifications` does too), so the
 * rule that the pact alarm cannot be switched off is the same everywhere; a POST carries the
 * session's CSRF token like every form.
 */
import { Notifications } from "@verzuimregie/app"
import { Errors } from "@verzuimregie/domain"
import type { Hono } from "hono"
import {
  Alert,
  type Choice,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  SubmitButton,
} from "../Components.js"
import type { PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

export const PATH = "/instellingen/meldingen"

const fieldOf = (kind: Notifications.Kind) => `soort-${kind}`
const HOUR_FIELD = "uur"

const LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Notifications.KINDS.map((k) => [fieldOf(k), Notifications.KIND_INFO[k].label])),
  [HOUR_FIELD]: "Uur van het dagelijks overzicht",
}

const modeChoices = (kind: Notifications.Kind): ReadonlyArray<Choice> =>
  (["direct", "dagelijks", "uit"] as const)
    .filter((mode) => mode !== "uit" || Notifications.KIND_INFO[kind].canSwitchOff)
    .map((mode) => ({ value: mode, label: Notifications.MODE_LABEL[mode] }))

const HOURS: ReadonlyArray<Choice> = Array.from({ length: 24 }, (_, h) => ({
  value: String(h),
  label: `${String(h).padStart(2, "0")}:00`,
}))

/** The values as the form shows them (a refused form keeps what was chosen). */
interface Values {
  readonly modes: Readonly<Record<string, string>>
  readonly hour: string
}

const valuesOf = (p: Notifications.Preferences): Values => ({
  modes: p.modes,
  hour: String(p.digestHour),
})

const SettingsPage = (props: {
  readonly csrfToken: string
  readonly values: Values
  readonly errors: FieldErrors
  readonly saved: boolean
}) => (
  <>
    <H1>Meldingen</H1>
    {props.saved ? <Alert type="ok">Uw keuzes voor meldingen zijn opgeslagen.</Alert> : null}
    <ErrorSummary errors={props.errors} labels={LABELS} />
    <P>
      Kies per soort melding of u die direct per e-mail krijgt, in één dagelijks overzicht op het uur dat u
      kiest, of niet. Een e-mail noemt alleen wat er gebeurde en het casusnummer, met een link naar de casus:
      nooit een naam, BSN, geboortedatum of wat in de casus is getypt. Het alarm van het Thuiszitterspact kunt
      u niet uitzetten.
    </P>
    <form method="post" action={PATH} class="utrecht-form" novalidate>
      <CsrfField token={props.csrfToken} />
      {Notifications.KINDS.map((kind) => (
        <SelectField
          name={fieldOf(kind)}
          label={Notifications.KIND_INFO[kind].label}
          description={Notifications.KIND_INFO[kind].when}
          options={modeChoices(kind)}
          value={props.values.modes[kind]}
          error={props.errors[fieldOf(kind)]}
        />
      ))}
      <SelectField
        name={HOUR_FIELD}
        label={LABELS[HOUR_FIELD] as string}
        description="Het dagelijks overzicht komt op dit uur (Nederlandse tijd), als er iets te melden is."
        options={HOURS}
        value={props.values.hour}
        error={props.errors[HOUR_FIELD]}
      />
      <p class="utrecht-button-group">
        <SubmitButton>Opslaan</SubmitButton>
      </p>
    </form>
  </>
)

const MODES = new Set<string>(["direct", "dagelijks", "uit"])

const mount = <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
  app.get(PATH, async (c) => {
    c.set("route", PATH)
    const current = await kit.signedInWith(c, Notifications.NOTIFICATION_ROLES)
    if (current instanceof Response) return current
    const exit = await kit.run(current, Notifications.myPreferences)
    if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
    return kit.page(
      c,
      current,
      { title: "Meldingen" },
      <SettingsPage
        csrfToken={current.session.csrfToken}
        values={valuesOf(exit.value)}
        errors={{}}
        saved={c.req.query("opgeslagen") === "1"}
      />,
    )
  })

  app.post(PATH, async (c) => {
    c.set("route", PATH)
    const current = await kit.signedInWith(c, Notifications.NOTIFICATION_ROLES)
    if (current instanceof Response) return current
    const form = await c.req.parseBody()
    if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
    const chosen = (name: string) => {
      const value = form[name]
      return typeof value === "string" ? value.slice(0, 20) : undefined
    }
    const errors: Record<string, string> = {}
    const modes: Record<string, Notifications.Mode> = {}
    for (const kind of Notifications.KINDS) {
      const value = chosen(fieldOf(kind))
      if (value === undefined) continue
      if (MODES.has(value)) modes[kind] = value as Notifications.Mode
      else errors[fieldOf(kind)] = "Kies direct, dagelijks overzicht of uit."
    }
    const hourText = chosen(HOUR_FIELD)
    const hour = hourText === undefined || !/^\d{1,2}$/.test(hourText) ? Number.NaN : Number(hourText)
    if (hourText !== undefined && !(hour >= 0 && hour <= 23))
      errors[HOUR_FIELD] = "Kies een uur van 0 tot 23."
    const values: Values = {
      modes: Object.fromEntries(Notifications.KINDS.map((k) => [k, chosen(fieldOf(k)) ?? ""])),
      hour: hourText ?? "",
    }
    const refused = (fieldErrors: FieldErrors) =>
      kit.page(
        c,
        current,
        { title: "Fout: Meldingen", status: 422 },
        <SettingsPage
          csrfToken={current.session.csrfToken}
          values={values}
          errors={fieldErrors}
          saved={false}
        />,
      )
    if (Object.keys(errors).length > 0) return refused(errors)
    const exit = await kit.run(
      current,
      Notifications.saveMyPreferences({
        modes,
        ...(hourText === undefined ? {} : { digestHour: hour }),
      }),
    )
    const failure = kit.failureOf(exit)
    if (failure instanceof Errors.ValidationError) {
      return refused(
        Object.fromEntries(
          failure.issues.map((issue) => [
            issue.path.startsWith("modes.") ? fieldOf(issue.path.slice(6) as Notifications.Kind) : HOUR_FIELD,
            issue.message,
          ]),
        ),
      )
    }
    if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
    return c.redirect(`${PATH}?opgeslagen=1`, 303)
  })
}

export const notificationPages: PageModule = {
  name: "meldingen",
  prefixes: [PATH],
  mount,
}
