/**
 * The building blocks of every page, in the NL Design System's (Utrecht) markup: form fields with
 * their label, description and error message wired by `aria-describedby`, the error summary that
 * links to each field at fault (WCAG 2.1 3.3.1, 3.3.3; NL Design System "formulieren"), tables with
 * a caption, pagination, alerts, and the Dutch date formats. Pages compose these; they do not write
 * their own field markup, so every form behaves the same for keyboard and screen-reader users.
 */
import { LocalDate } from "@verzuimregie/domain"
import type { Child } from "hono/jsx"

/** A field's problem, by the field's form name. */
export type FieldErrors = Readonly<Record<string, string>>

const describedBy = (...ids: ReadonlyArray<string | undefined | false>) => {
  const present = ids.filter((id): id is string => typeof id === "string")
  return present.length === 0 ? undefined : present.join(" ")
}

/** `id` safe form of a field name (`parties.0.role` → `veld-parties-0-role`). */
export const fieldId = (name: string) => `veld-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`

/**
 * The list of problems at the top of a form, each a link to its field. `role="alert"` so it is read
 * out when the page comes back with errors.
 */
export const ErrorSummary = (props: {
  readonly errors: FieldErrors
  readonly labels?: Readonly<Record<string, string>>
  readonly general?: ReadonlyArray<string>
  readonly title?: string
}) => {
  const entries = Object.entries(props.errors)
  const general = props.general ?? []
  if (entries.length === 0 && general.length === 0) return null
  return (
    <div
      class="utrecht-alert utrecht-alert--error vr-error-summary"
      role="alert"
      aria-labelledby="fouten-kop"
    >
      <h2 class="utrecht-heading-2" id="fouten-kop">
        {props.title ?? "Controleer het formulier"}
      </h2>
      <ul class="utrecht-unordered-list">
        {general.map((message) => (
          <li>{message}</li>
        ))}
        {entries.map(([name, message]) => (
          <li>
            <a class="utrecht-link" href={`#${fieldId(name)}`}>
              {props.labels?.[name] === undefined ? message : `${props.labels[name]}: ${message}`}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}

interface FieldProps {
  readonly name: string
  readonly label: string
  readonly description?: string | undefined
  readonly error?: string | undefined
  readonly required?: boolean | undefined
}

const FieldFrame = (props: FieldProps & { readonly kind: string; readonly children?: Child }) => (
  <div
    class={`utrecht-form-field utrecht-form-field--${props.kind}${props.error === undefined ? "" : " utrecht-form-field--invalid"}`}
  >
    <div class="utrecht-form-field__label">
      <label class="utrecht-form-label" for={fieldId(props.name)}>
        {props.label}
        {props.required === true ? null : <span class="vr-optional"> (niet verplicht)</span>}
      </label>
    </div>
    {props.description === undefined ? null : (
      <div class="utrecht-form-field-description" id={`${fieldId(props.name)}-uitleg`}>
        {props.description}
      </div>
    )}
    {props.error === undefined ? null : (
      <div class="utrecht-form-field-error-message" id={`${fieldId(props.name)}-fout`}>
        {props.error}
      </div>
    )}
    <div class="utrecht-form-field__input">{props.children}</div>
  </div>
)

const inputAria = (props: FieldProps) => ({
  id: fieldId(props.name),
  name: props.name,
  required: props.required === true ? true : undefined,
  "aria-invalid": props.error === undefined ? undefined : "true",
  "aria-describedby": describedBy(
    props.description !== undefined && `${fieldId(props.name)}-uitleg`,
    props.error !== undefined && `${fieldId(props.name)}-fout`,
  ),
})

export const TextField = (
  props: FieldProps & {
    readonly value?: string | undefined
    readonly type?: "text" | "email" | "tel" | "number" | "search" | "password"
    readonly autocomplete?: string
    readonly inputmode?: "numeric" | "text"
    readonly maxlength?: number
  },
) => (
  <FieldFrame {...props} kind="text">
    <input
      class={`utrecht-textbox utrecht-textbox--html-input${props.error === undefined ? "" : " utrecht-textbox--invalid"}`}
      type={props.type ?? "text"}
      value={props.value ?? ""}
      autocomplete={props.autocomplete ?? "off"}
      inputmode={props.inputmode}
      maxlength={props.maxlength}
      {...inputAria(props)}
    />
  </FieldFrame>
)

/** A date as `<input type="date">` (ISO value; browsers show it in the user's locale). */
export const DateField = (
  props: FieldProps & { readonly value?: string | undefined; readonly max?: string; readonly min?: string },
) => (
  <FieldFrame {...props} kind="text">
    <input
      class={`utrecht-textbox utrecht-textbox--html-input vr-date${props.error === undefined ? "" : " utrecht-textbox--invalid"}`}
      type="date"
      value={props.value ?? ""}
      min={props.min}
      max={props.max}
      {...inputAria(props)}
    />
  </FieldFrame>
)

export const TextArea = (
  props: FieldProps & {
    readonly value?: string | undefined
    readonly rows?: number
    readonly maxlength?: number
  },
) => (
  <FieldFrame {...props} kind="textarea">
    <textarea
      class={`utrecht-textarea utrecht-textarea--html-textarea${props.error === undefined ? "" : " utrecht-textarea--invalid"}`}
      rows={props.rows ?? 4}
      maxlength={props.maxlength}
      {...inputAria(props)}
      // Utrecht styles an empty `required` textarea as :invalid before anyone typed; the forms
      // are `novalidate` and the server checks, so only aria-required is announced.
      required={undefined}
      aria-required={props.required === true ? "true" : undefined}
    >
      {props.value ?? ""}
    </textarea>
  </FieldFrame>
)

export interface Choice {
  readonly value: string
  readonly label: string
}

export const SelectField = (
  props: FieldProps & {
    readonly options: ReadonlyArray<Choice>
    readonly value?: string | undefined
    /** A first, empty option ("Kies …") when nothing is chosen yet. */
    readonly placeholder?: string
  },
) => (
  <FieldFrame {...props} kind="select">
    <select
      class={`utrecht-select utrecht-select--html-select${props.error === undefined ? "" : " utrecht-select--invalid"}`}
      {...inputAria(props)}
    >
      {props.placeholder === undefined ? null : <option value="">{props.placeholder}</option>}
      {props.options.map((option) => (
        <option value={option.value} selected={option.value === props.value}>
          {option.label}
        </option>
      ))}
    </select>
  </FieldFrame>
)

/** A group of radio buttons or checkboxes in a `fieldset` with its `legend`. */
export const ChoiceGroup = (
  props: FieldProps & {
    readonly type: "radio" | "checkbox"
    readonly options: ReadonlyArray<Choice>
    readonly values?: ReadonlyArray<string>
  },
) => (
  // Not `utrecht-form-field--radio`/`--checkbox` here: those lay out one option (a grid with a
  // narrow input column) and would squeeze the whole group into that column.
  <div
    class={`utrecht-form-field vr-choice-group${props.error === undefined ? "" : " utrecht-form-field--invalid"}`}
  >
    <fieldset
      class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
      id={fieldId(props.name)}
      // Focusable by script and link only: the error summary's link to the group moves focus here.
      tabindex={-1}
      aria-describedby={describedBy(
        props.description !== undefined && `${fieldId(props.name)}-uitleg`,
        props.error !== undefined && `${fieldId(props.name)}-fout`,
      )}
      aria-invalid={props.error === undefined ? undefined : "true"}
    >
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
        {props.label}
        {props.required === true ? null : <span class="vr-optional"> (niet verplicht)</span>}
      </legend>
      {props.description === undefined ? null : (
        <div class="utrecht-form-field-description" id={`${fieldId(props.name)}-uitleg`}>
          {props.description}
        </div>
      )}
      {props.error === undefined ? null : (
        <div class="utrecht-form-field-error-message" id={`${fieldId(props.name)}-fout`}>
          {props.error}
        </div>
      )}
      {props.options.map((option, index) => (
        <div class={`utrecht-form-field utrecht-form-field--${props.type}`}>
          <input
            class={
              props.type === "radio"
                ? "utrecht-radio-button utrecht-radio-button--html-input"
                : "utrecht-checkbox utrecht-checkbox--html-input"
            }
            type={props.type}
            id={`${fieldId(props.name)}-${index}`}
            name={props.name}
            value={option.value}
            checked={props.values?.includes(option.value) === true}
          />
          <label
            class="utrecht-form-label utrecht-form-label--checkbox"
            for={`${fieldId(props.name)}-${index}`}
          >
            {option.label}
          </label>
        </div>
      ))}
    </fieldset>
  </div>
)

/**
 * A group of fields under one `legend` (a meeting's participant, an action's owner); `name` gives
 * the group the id an error summary links to when the group as a whole is at fault.
 */
export const Fieldset = (props: {
  readonly legend: string
  readonly name?: string
  readonly error?: string | undefined
  readonly children?: Child
}) => (
  <fieldset
    class={`utrecht-form-fieldset utrecht-form-fieldset--html-fieldset vr-fieldset${props.error === undefined ? "" : " utrecht-form-fieldset--invalid"}`}
    id={props.name === undefined ? undefined : fieldId(props.name)}
    tabindex={props.name === undefined ? undefined : -1}
    aria-describedby={
      props.error === undefined || props.name === undefined ? undefined : `${fieldId(props.name)}-fout`
    }
  >
    <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
      {props.legend}
    </legend>
    {props.error === undefined || props.name === undefined ? null : (
      <div class="utrecht-form-field-error-message" id={`${fieldId(props.name)}-fout`}>
        {props.error}
      </div>
    )}
    {props.children}
  </fieldset>
)

/** The hidden CSRF field every POST form carries. */
export const CsrfField = (props: { readonly token: string }) => (
  <input type="hidden" name="_csrf" value={props.token} />
)

export const SubmitButton = (props: {
  readonly children?: Child
  readonly secondary?: boolean
  readonly name?: string
  readonly value?: string
}) => (
  <button
    class={`utrecht-button ${props.secondary === true ? "utrecht-button--secondary-action" : "utrecht-button--primary-action"}`}
    type="submit"
    name={props.name}
    value={props.value}
  >
    {props.children}
  </button>
)

export const Alert = (props: {
  readonly type: "ok" | "info" | "warning" | "error"
  readonly children?: Child
}) => (
  <div
    class={`utrecht-alert utrecht-alert--${props.type}`}
    role={props.type === "error" ? "alert" : "status"}
  >
    {props.children}
  </div>
)

/** A table with a caption (its accessible name) and header cells with `scope`. */
export const Table = (props: {
  readonly caption: string
  readonly headers: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<Child>>
  readonly empty?: string
}) =>
  props.rows.length === 0 ? (
    <p class="utrecht-paragraph">{props.empty ?? "Geen gegevens."}</p>
  ) : (
    <div class="vr-table-scroll">
      <table class="utrecht-table utrecht-table--html-table">
        <caption class="utrecht-table__caption">{props.caption}</caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            {props.headers.map((header) => (
              <th class="utrecht-table__header-cell" scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {props.rows.map((row) => (
            <tr class="utrecht-table__row">
              {row.map((cell) => (
                <td class="utrecht-table__cell">{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )

/** Key–value pairs (a case's header, a referral's details). */
export const DataList = (props: { readonly items: ReadonlyArray<readonly [string, Child]> }) => (
  <dl class="vr-data-list">
    {props.items.map(([term, value]) => (
      <div class="vr-data-list__item">
        <dt>{term}</dt>
        <dd>{value}</dd>
      </div>
    ))}
  </dl>
)

/** "Vorige / volgende" with cursor links; `query` keeps the filters. */
export const Pagination = (props: {
  readonly path: string
  readonly query: Readonly<Record<string, string | undefined>>
  readonly nextCursor: string | null | undefined
  readonly hasPrevious?: boolean
}) => {
  const link = (extra: Record<string, string>) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ ...props.query, ...extra }))
      if (value !== undefined && value !== "") params.set(key, value)
    const search = params.toString()
    return search === "" ? props.path : `${props.path}?${search}`
  }
  const { cursor: _cursor, ...withoutCursor } = props.query
  return (
    <nav class="vr-pagination" aria-label="Paginering">
      {props.hasPrevious === true ? (
        <a class="utrecht-link" href={link({ ...withoutCursor, cursor: "" })}>
          Eerste pagina
        </a>
      ) : null}
      {props.nextCursor === null || props.nextCursor === undefined ? null : (
        <a class="utrecht-link" href={link({ cursor: props.nextCursor })} rel="next">
          Volgende pagina
        </a>
      )}
    </nav>
  )
}

/** `2026-11-29` → `29 november 2026`. */
export const dutchDate = (iso: string | undefined | null): string => {
  if (iso === undefined || iso === null || iso.length < 10) return "—"
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number) as [number, number, number]
  return `${day} ${LocalDate.DUTCH_MONTHS[month - 1]} ${year}`
}

/** `2026-11-29` → `29-11-2026`, the form Dutch offices write (and the absence exports use). */
export const shortDate = (iso: string | undefined | null): string =>
  iso === undefined || iso === null || iso.length < 10
    ? "—"
    : `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`

// One formatter for the process: building one per call was a tenth of a dossier's server time.
const DATE_TIME = new Intl.DateTimeFormat("nl-NL", {
  timeZone: "Europe/Amsterdam",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
})

/** An instant in Amsterdam time: `29 november 2026, 14:05`. */
export const dutchDateTime = (instant: string | undefined | null): string => {
  if (instant === undefined || instant === null) return "—"
  const date = new Date(instant)
  if (Number.isNaN(date.getTime())) return "—"
  return DATE_TIME.format(date)
}

/**
 * The base CSS for these components (the library leaves layout to the page). A date field's
 * calendar button takes focus inside the field (which then matches neither `:focus` nor
 * `:focus-visible`, only `:focus-within`), so no focus ring showed but Chromium's hairline round the
 * icon: the field shows the ring whenever focus is anywhere in it.
 */
export const COMPONENT_STYLES = `
.vr-optional{font-weight:400;color:var(--utrecht-color-grey-30,#444)}
.vr-error-summary{display:block;margin-block-end:1.5rem}
.vr-table-scroll{overflow-x:auto}
.vr-data-list{display:grid;grid-template-columns:minmax(10rem,max-content) 1fr;gap:.25rem 1.5rem;margin:0 0 1.5rem}
.vr-data-list__item{display:contents}
.vr-data-list dt{font-weight:700}
.vr-data-list dd{margin:0}
.vr-pagination{display:flex;gap:1.5rem;margin-block:1rem}
.utrecht-form-field{margin-block-end:1.25rem}
.vr-fieldset{margin-block-end:1.5rem}
.utrecht-form-field.vr-choice-group{display:block}
.vr-choice-group .utrecht-form-field{grid-template-columns:auto 1fr}
.vr-nav a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
.vr-date:focus-within:not(:focus-visible){outline:var(--utrecht-focus-outline-width,2px) var(--utrecht-focus-outline-style,dotted) var(--utrecht-focus-outline-color,#000);outline-offset:var(--utrecht-focus-outline-offset,0)}
`
