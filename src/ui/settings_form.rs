//! The settings form shared by the options page and the panel's settings drawer: endpoint, answers, language.
//!
//! [`SettingsForm`] edits a copy of the settings in its own field signals and
//! writes the whole record back on Save, after the core validated it. It
//! also lists the server's models (for the Model field's suggestions) and
//! tests the connection, turning every failure into the endpoint doctor's
//! advice; [`fetch_models`] and [`EndpointProblem`] are shared with the
//! first-run setup card.

use crate::i18n::settings_text::SettingsText;
use crate::i18n::Locale;
use crate::platform::model_fetch::{diagnose_failure, fetch_text, FetchFailure, FetchOptions};
use crate::platform::origin_rewrite::{apply_origin_rewrite, request_local_endpoint_access};
use crate::platform::storage::{save_settings, StorageArea};
use crate::provider::base_url::normalize_base_url;
use crate::provider::diagnosis::{diagnose_http, Diagnosis};
use crate::provider::local_origin::local_origin_rewrite;
use crate::provider::models::{list_models_request, parse_model_list, ModelInfo};
use crate::provider::presets::{find_preset, Preset, PRESETS};
use crate::provider::request::Endpoint;
use crate::settings::{
    validate_answer, validate_endpoint, AnswerForm, AnswerLanguage, EndpointForm, Settings, SettingsError,
    SettingsField, UiLanguage, CUSTOM_PRESET,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// How long listing models may take before the doctor calls it a timeout.
const MODEL_LIST_TIMEOUT_MS: u32 = 15_000;

/// Why an endpoint could not be used, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum EndpointProblem {
    /// The endpoint doctor's verdict: its kind (a line per kind is
    /// translated) and its advice (English: the doctor has no translations).
    Advice(crate::provider::diagnosis::ErrorKind, String),
    /// The server answered, but its model list is not one Pagewise can read.
    ListUnreadable,
    /// The form's Base URL cannot be used yet; the message says why.
    Invalid(String),
}

impl EndpointProblem {
    /// The sentence to show.
    pub(crate) fn message(&self, locale: Locale) -> String {
        match self {
            EndpointProblem::Advice(kind, advice) => match locale {
                Locale::En => advice.clone(),
                // The Chinese interface leads the English advice with its own line.
                Locale::ZhCn => format!("{}\n{advice}", crate::i18n::error_summary(*kind, locale)),
            },
            EndpointProblem::ListUnreadable => SettingsText::ModelListUnreadable.text(locale).to_string(),
            EndpointProblem::Invalid(message) => message.clone(),
        }
    }
}

/// Lists the models of `endpoint`, explaining any failure as the doctor
/// would (`diagnose_failure`, which tells a block from a closed port).
pub(crate) async fn fetch_models(endpoint: &Endpoint) -> Result<Vec<ModelInfo>, EndpointProblem> {
    let request = list_models_request(endpoint);
    let options = FetchOptions { connect_timeout_ms: MODEL_LIST_TIMEOUT_MS, idle_timeout_ms: MODEL_LIST_TIMEOUT_MS };
    let problem = |diagnosis: Diagnosis| EndpointProblem::Advice(diagnosis.kind, diagnosis.advice);
    match fetch_text(&request, options).await {
        Ok((status, _, body)) if (200..300).contains(&status) => {
            parse_model_list(endpoint.family, &body).map_err(|_| EndpointProblem::ListUnreadable)
        }
        Ok((status, headers, body)) => {
            Err(problem(diagnose_http(endpoint.family, &endpoint.base_url, status, &headers, &body)))
        }
        Err(FetchFailure::TooLarge { .. } | FetchFailure::Setup(_)) => Err(EndpointProblem::ListUnreadable),
        Err(failure) => Err(problem(diagnose_failure(&failure, endpoint.family, &endpoint.base_url).await)),
    }
}

/// Points the loopback Origin rewrite at `base_url` for a check, when it is
/// a loopback endpoint; returns whether it did (so the caller restores it).
pub(crate) async fn aim_origin_rewrite(base_url: &str) -> bool {
    if local_origin_rewrite(base_url).is_none() {
        return false;
    }
    let _ = apply_origin_rewrite(base_url).await;
    true
}

/// Points the rewrite back at the saved endpoint after a check of another one.
pub(crate) async fn restore_origin_rewrite(settings: RwSignal<Option<Settings>>) {
    let saved = settings.with_untracked(|s| s.as_ref().map(|s| s.endpoint.base_url.clone())).unwrap_or_default();
    let _ = apply_origin_rewrite(&saved).await;
}

/// Saves `next` to `storage.local`, publishes it in `settings`, then aims
/// the Origin rewrite at it. Publishing first matters: a check that
/// restores the rewrite reads `settings`, so the last rule set is always
/// the saved endpoint's.
pub(crate) async fn store(settings: RwSignal<Option<Settings>>, next: &Settings) -> Result<(), String> {
    let saved = match StorageArea::local() {
        Ok(area) => save_settings(&area, next).await,
        Err(error) => Err(error),
    };
    saved.map_err(|error| error.to_string())?;
    settings.set(Some(next.clone()));
    let _ = apply_origin_rewrite(&next.endpoint.base_url).await;
    Ok(())
}

/// The state of a model-list load or a connection test.
#[derive(Clone, Debug, PartialEq)]
enum Check {
    Idle,
    Running,
    /// A success message, already in the interface language.
    Done(String),
    Failed(EndpointProblem),
}

/// The outcome of the last save.
#[derive(Clone, Debug, PartialEq)]
enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Failed(String),
}

/// Element ids, one per control (the form appears once per document).
const ID_PRESET: &str = "sf-preset";
const ID_BASE_URL: &str = "sf-base-url";
const ID_API_KEY: &str = "sf-api-key";
const ID_MODEL: &str = "sf-model";
const ID_MODEL_LIST: &str = "sf-model-list";
const ID_TEMPERATURE: &str = "sf-temperature";
const ID_ANSWER_LANGUAGE: &str = "sf-answer-language";
const ID_CONTEXT_BUDGET: &str = "sf-context-budget";
const ID_SYSTEM_PROMPT: &str = "sf-system-prompt";
const ID_UI_LANGUAGE: &str = "sf-ui-language";

/// The id of a field's input, for focusing it and for its error's id.
fn field_id(field: SettingsField) -> &'static str {
    match field {
        SettingsField::BaseUrl => ID_BASE_URL,
        SettingsField::Model => ID_MODEL,
        SettingsField::ApiKey => ID_API_KEY,
        SettingsField::Temperature => ID_TEMPERATURE,
        SettingsField::ContextBudget => ID_CONTEXT_BUDGET,
        SettingsField::SystemPrompt => ID_SYSTEM_PROMPT,
    }
}

/// Moves keyboard focus to the element with `id`, if it exists.
fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Whether two base URLs are the same but for case, spaces and trailing slashes.
fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/').eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

/// The preset with `id`, or the custom one.
fn preset_or_custom(id: &str) -> Option<&'static Preset> {
    find_preset(id).or_else(|| find_preset(CUSTOM_PRESET))
}

/// The form's field values, one signal each.
#[derive(Clone, Copy)]
struct Fields {
    preset: RwSignal<String>,
    base_url: RwSignal<String>,
    api_key: RwSignal<String>,
    model: RwSignal<String>,
    temperature: RwSignal<String>,
    answer_language: RwSignal<AnswerLanguage>,
    context_budget: RwSignal<String>,
    system_prompt: RwSignal<String>,
    ui_language: RwSignal<UiLanguage>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            preset: RwSignal::new(CUSTOM_PRESET.to_string()),
            base_url: RwSignal::new(String::new()),
            api_key: RwSignal::new(String::new()),
            model: RwSignal::new(String::new()),
            temperature: RwSignal::new(String::new()),
            answer_language: RwSignal::new(AnswerLanguage::Interface),
            context_budget: RwSignal::new(String::new()),
            system_prompt: RwSignal::new(String::new()),
            ui_language: RwSignal::new(UiLanguage::Auto),
        }
    }

    /// Shows `settings` in the fields.
    fn fill(&self, settings: &Settings) {
        self.preset.set(settings.preset().id.to_string());
        self.base_url.set(settings.endpoint.base_url.clone());
        self.api_key.set(settings.endpoint.api_key.clone());
        self.model.set(settings.endpoint.model.clone());
        let answer = AnswerForm::from_settings(&settings.answer);
        self.temperature.set(answer.temperature);
        self.answer_language.set(answer.language);
        self.context_budget.set(answer.context_budget);
        self.system_prompt.set(answer.system_prompt);
        self.ui_language.set(settings.ui_language);
    }

    fn endpoint_form(&self) -> EndpointForm {
        EndpointForm {
            preset: self.preset.get_untracked(),
            base_url: self.base_url.get_untracked(),
            model: self.model.get_untracked(),
            api_key: self.api_key.get_untracked(),
        }
    }

    fn answer_form(&self) -> AnswerForm {
        AnswerForm {
            temperature: self.temperature.get_untracked(),
            language: self.answer_language.get_untracked(),
            system_prompt: self.system_prompt.get_untracked(),
            context_budget: self.context_budget.get_untracked(),
        }
    }

    /// The endpoint the fields describe right now, for listing models or a
    /// test; the model does not matter here.
    fn probe_endpoint(&self, locale: Locale) -> Result<Endpoint, EndpointProblem> {
        let preset = preset_or_custom(&self.preset.get_untracked())
            .ok_or_else(|| EndpointProblem::Invalid(SettingsText::ErrorBaseUrlScheme.text(locale).to_string()))?;
        let typed = self.base_url.get_untracked();
        let lower = typed.trim().to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            let error = SettingsError::BaseUrlScheme;
            return Err(EndpointProblem::Invalid(SettingsText::error(&error, locale)));
        }
        let base_url = normalize_base_url(&typed, preset.family).map_err(|error| {
            EndpointProblem::Invalid(SettingsText::error(&SettingsError::BaseUrlInvalid(error), locale))
        })?;
        Ok(Endpoint::from_preset(preset, base_url, self.api_key.get_untracked().trim()))
    }
}

/// The whole settings form. `settings` is `None` while loading (the form
/// is disabled); Save writes the record to `storage.local`, updates
/// `settings` and calls `on_saved`.
#[component]
pub fn SettingsForm(
    settings: RwSignal<Option<Settings>>,
    locale: Memo<Locale>,
    #[prop(optional)] on_saved: Option<Callback<Settings>>,
) -> impl IntoView {
    let fields = Fields::new();
    let show_key = RwSignal::new(false);
    let models = RwSignal::new(Vec::<ModelInfo>::new());
    let models_check = RwSignal::new(Check::Idle);
    let connection = RwSignal::new(Check::Idle);
    let errors = RwSignal::new(Vec::<SettingsError>::new());
    let status = RwSignal::new(SaveStatus::Idle);
    // Each check bumps its counter; a result from an older check of the same kind is dropped.
    let models_generation = StoredValue::new(0_u32);
    let connection_generation = StoredValue::new(0_u32);

    Effect::new(move |_| {
        settings.with(|loaded| {
            if let Some(loaded) = loaded {
                fields.fill(loaded);
            }
        });
    });

    let edited = move || {
        if status.get_untracked() != SaveStatus::Saving {
            status.set(SaveStatus::Idle);
        }
    };
    let loading = move || settings.with(Option::is_none);
    let t = move |key: SettingsText| move || key.text(locale.get());
    let error_for = move |field: SettingsField| {
        errors.with(|errors| {
            errors.iter().find(|error| error.field() == field).map(|error| SettingsText::error(error, locale.get()))
        })
    };

    // Lists the models (into the Model field's suggestions) and, for a
    // test, reports the connection. `interactive` is a click: it may ask
    // for host access, which needs the click's activation.
    let check = move |test: bool, interactive: bool| {
        let (target, generation) =
            if test { (connection, connection_generation) } else { (models_check, models_generation) };
        let endpoint = match fields.probe_endpoint(locale.get_untracked()) {
            Ok(endpoint) => endpoint,
            // A Base URL being typed is not worth a complaint until Save or a click.
            Err(_) if !interactive => return,
            Err(problem) => return target.set(Check::Failed(problem)),
        };
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        target.set(Check::Running);
        spawn_local(async move {
            if interactive {
                let _ = request_local_endpoint_access(&endpoint.base_url).await;
            }
            let aimed = aim_origin_rewrite(&endpoint.base_url).await;
            let result = fetch_models(&endpoint).await;
            if aimed {
                restore_origin_rewrite(settings).await;
            }
            if generation.get_value() != mine {
                return;
            }
            let locale = locale.get_untracked();
            match result {
                Ok(list) => {
                    let count = list.len().to_string();
                    let wanted = fields.model.get_untracked().trim().to_string();
                    let message = if list.is_empty() {
                        SettingsText::NoModelsListed.text(locale).to_string()
                    } else if !test {
                        SettingsText::ModelsLoaded.with(locale, &[("{n}", &count)])
                    } else if !wanted.is_empty() && !list.iter().any(|model| model.id == wanted) {
                        SettingsText::ModelNotListed.with(locale, &[("{model}", &wanted)])
                    } else {
                        SettingsText::ConnectedModels.with(locale, &[("{n}", &count)])
                    };
                    if fields.model.get_untracked().trim().is_empty() {
                        if let Some(first) = list.first() {
                            fields.model.set(first.id.clone());
                        }
                    }
                    models.set(list);
                    target.set(Check::Done(message));
                }
                Err(problem) => target.set(Check::Failed(problem)),
            }
        });
    };

    let choose_preset = move |id: String| {
        let old = find_preset(&fields.preset.get_untracked());
        if let Some(new) = find_preset(&id) {
            let url = fields.base_url.get_untracked();
            if url.trim().is_empty() || old.is_some_and(|old| same_url(&url, old.base_url)) {
                fields.base_url.set(new.base_url.to_string());
            }
            let model = fields.model.get_untracked();
            if model.trim().is_empty() || old.is_some_and(|old| model.trim() == old.default_model) {
                fields.model.set(new.default_model.to_string());
            }
        }
        fields.preset.set(id);
        models.set(Vec::new());
        models_check.set(Check::Idle);
        connection.set(Check::Idle);
        edited();
    };

    let save = move || {
        let mut found = Vec::new();
        let endpoint = validate_endpoint(&fields.endpoint_form()).map_err(|error| found.push(error)).ok();
        let answer = validate_answer(&fields.answer_form()).map_err(|error| found.push(error)).ok();
        let (Some(endpoint), Some(answer)) = (endpoint, answer) else {
            if let Some(first) = found.first() {
                focus(field_id(first.field()));
            }
            errors.set(found);
            return status.set(SaveStatus::Failed(SettingsText::NotSaved.text(locale.get_untracked()).to_string()));
        };
        errors.set(Vec::new());
        let mut next = settings.get_untracked().unwrap_or_default();
        next.endpoint = endpoint;
        next.answer = answer;
        next.ui_language = fields.ui_language.get_untracked();
        next.onboarded |= next.is_configured();
        status.set(SaveStatus::Saving);
        spawn_local(async move {
            // Still inside the click's activation: ask for the local
            // endpoint now, if it needs the Origin rewrite. Saving goes on
            // either way; the doctor explains a refusal later.
            let _ = request_local_endpoint_access(&next.endpoint.base_url).await;
            match store(settings, &next).await {
                Ok(()) => {
                    status.set(SaveStatus::Saved);
                    if let Some(on_saved) = on_saved {
                        on_saved.run(next);
                    }
                }
                Err(message) => status.set(SaveStatus::Failed(message)),
            }
        });
    };

    let field_error = move |field: SettingsField| {
        move || {
            error_for(field).map(|message| {
                view! { <p class="field-error" role="alert" id=format!("{}-error", field_id(field))>{message}</p> }
            })
        }
    };
    let invalid = move |field: SettingsField| move || if error_for(field).is_some() { "true" } else { "false" };
    let described = move |field: SettingsField, hint: &'static str| {
        move || {
            if error_for(field).is_some() {
                format!("{hint} {}-error", field_id(field))
            } else {
                hint.to_string()
            }
        }
    };
    let check_view = move |state: RwSignal<Check>, class: &'static str, running: SettingsText| {
        view! {
            <p class=class role="status" class:error=move || matches!(state.get(), Check::Failed(_))>
                {move || match state.get() {
                    Check::Idle => String::new(),
                    Check::Running => running.text(locale.get()).to_string(),
                    Check::Done(message) => message,
                    Check::Failed(problem) => problem.message(locale.get()),
                }}
            </p>
        }
    };
    let key_hint = move || {
        let needs_key = preset_or_custom(&fields.preset.get()).is_some_and(|preset| preset.needs_key);
        let key = if needs_key { SettingsText::ApiKeyHint } else { SettingsText::ApiKeyNotNeeded };
        key.text(locale.get())
    };
    let budget_hint = move || {
        let window = preset_or_custom(&fields.preset.get()).map_or(8_192, |preset| preset.context_window);
        SettingsText::ContextBudgetHint.with(locale.get(), &[("{n}", &window.to_string())])
    };

    let endpoint_section = view! {
        <fieldset class="settings-section" prop:disabled=loading>
            <legend>{t(SettingsText::EndpointSection)}</legend>
            <div class="field">
                <label for=ID_PRESET>{t(SettingsText::Provider)}</label>
                <select id=ID_PRESET aria-describedby="sf-preset-hint"
                    on:change=move |ev| choose_preset(event_target_value(&ev))>
                    {PRESETS.iter().map(|preset| {
                        let id = preset.id;
                        view! { <option value=id selected=move || fields.preset.get() == id>{preset.name}</option> }
                    }).collect_view()}
                </select>
                <p class="hint" id="sf-preset-hint">{t(SettingsText::ProviderHint)}</p>
            </div>
            <div class="field">
                <label for=ID_BASE_URL>{t(SettingsText::BaseUrl)}</label>
                <input id=ID_BASE_URL type="text" inputmode="url" spellcheck="false" autocomplete="off"
                    placeholder="http://127.0.0.1:11434/v1"
                    aria-invalid=invalid(SettingsField::BaseUrl)
                    aria-describedby=described(SettingsField::BaseUrl, "sf-base-url-hint")
                    prop:value=move || fields.base_url.get()
                    on:input=move |ev| { fields.base_url.set(event_target_value(&ev)); edited(); }
                    on:change=move |_| {
                        // A committed Base URL fills the model suggestions, when no key is missing.
                        let needs_key = preset_or_custom(&fields.preset.get_untracked()).is_some_and(|p| p.needs_key);
                        if !needs_key || !fields.api_key.get_untracked().trim().is_empty() {
                            check(false, false);
                        }
                    }/>
                <p class="hint" id="sf-base-url-hint">{t(SettingsText::BaseUrlHint)}</p>
                {field_error(SettingsField::BaseUrl)}
            </div>
            <div class="field">
                <label for=ID_API_KEY>{t(SettingsText::ApiKey)}</label>
                <div class="key-row">
                    <input id=ID_API_KEY spellcheck="false" autocomplete="off"
                        type=move || if show_key.get() { "text" } else { "password" }
                        aria-invalid=invalid(SettingsField::ApiKey)
                        aria-describedby=described(SettingsField::ApiKey, "sf-api-key-hint")
                        prop:value=move || fields.api_key.get()
                        on:input=move |ev| { fields.api_key.set(event_target_value(&ev)); edited(); }/>
                    <button type="button" class="key-toggle" aria-controls=ID_API_KEY
                        aria-pressed=move || if show_key.get() { "true" } else { "false" }
                        aria-label=move || {
                            let key = if show_key.get() { SettingsText::HideKeyLabel } else { SettingsText::ShowKeyLabel };
                            key.text(locale.get())
                        }
                        on:click=move |_| show_key.update(|shown| *shown = !*shown)>
                        {move || if show_key.get() { SettingsText::HideKey.text(locale.get()) } else { SettingsText::ShowKey.text(locale.get()) }}
                    </button>
                </div>
                <p class="hint" id="sf-api-key-hint">{key_hint}</p>
                {field_error(SettingsField::ApiKey)}
            </div>
            <div class="field">
                <label for=ID_MODEL>{t(SettingsText::Model)}</label>
                <div class="model-row">
                    <input id=ID_MODEL type="text" spellcheck="false" autocomplete="off" list=ID_MODEL_LIST
                        aria-invalid=invalid(SettingsField::Model)
                        aria-describedby=described(SettingsField::Model, "sf-model-hint sf-models-status")
                        prop:value=move || fields.model.get()
                        on:input=move |ev| { fields.model.set(event_target_value(&ev)); edited(); }/>
                    <button type="button" class="load-models"
                        prop:disabled=move || models_check.get() == Check::Running
                        on:click=move |_| check(false, true)>
                        {t(SettingsText::LoadModels)}
                    </button>
                </div>
                <datalist id=ID_MODEL_LIST>
                    <For each=move || models.get() key=|model| model.id.clone() let:model>
                        <option value=model.id.clone()>{model.display_name.clone().unwrap_or_default()}</option>
                    </For>
                </datalist>
                <p class="hint" id="sf-model-hint">{t(SettingsText::ModelHint)}</p>
                <div id="sf-models-status">{check_view(models_check, "field-status", SettingsText::LoadingModels)}</div>
                {field_error(SettingsField::Model)}
            </div>
            <div class="connection">
                <button type="button" class="test-connection"
                    prop:disabled=move || connection.get() == Check::Running
                    on:click=move |_| check(true, true)>
                    {t(SettingsText::TestConnection)}
                </button>
                {check_view(connection, "connection-status", SettingsText::Testing)}
            </div>
        </fieldset>
    }
    .into_any();

    let language_option = move |value: AnswerLanguage, code: &'static str, label: SettingsText| {
        view! {
            <option value=code selected=move || fields.answer_language.get() == value>{t(label)}</option>
        }
    };
    let answer_section = view! {
        <fieldset class="settings-section" prop:disabled=loading>
            <legend>{t(SettingsText::AnswersSection)}</legend>
            <div class="field">
                <label for=ID_ANSWER_LANGUAGE>{t(SettingsText::AnswerLanguage)}</label>
                <select id=ID_ANSWER_LANGUAGE on:change=move |ev| {
                    let value = match event_target_value(&ev).as_str() {
                        "page" => AnswerLanguage::Page,
                        "en" => AnswerLanguage::En,
                        "zh_cn" => AnswerLanguage::ZhCn,
                        _ => AnswerLanguage::Interface,
                    };
                    fields.answer_language.set(value);
                    edited();
                }>
                    {language_option(AnswerLanguage::Interface, "interface", SettingsText::AnswerLanguageInterface)}
                    {language_option(AnswerLanguage::Page, "page", SettingsText::AnswerLanguagePage)}
                    <option value="en" selected=move || fields.answer_language.get() == AnswerLanguage::En>"English"</option>
                    <option value="zh_cn" selected=move || fields.answer_language.get() == AnswerLanguage::ZhCn>"简体中文"</option>
                </select>
            </div>
            <div class="field">
                <label for=ID_TEMPERATURE>{t(SettingsText::Temperature)}</label>
                <input id=ID_TEMPERATURE type="text" inputmode="decimal" autocomplete="off" placeholder="0.7"
                    aria-invalid=invalid(SettingsField::Temperature)
                    aria-describedby=described(SettingsField::Temperature, "sf-temperature-hint")
                    prop:value=move || fields.temperature.get()
                    on:input=move |ev| { fields.temperature.set(event_target_value(&ev)); edited(); }/>
                <p class="hint" id="sf-temperature-hint">{t(SettingsText::TemperatureHint)}</p>
                {field_error(SettingsField::Temperature)}
            </div>
            <div class="field">
                <label for=ID_CONTEXT_BUDGET>{t(SettingsText::ContextBudget)}</label>
                <input id=ID_CONTEXT_BUDGET type="text" inputmode="numeric" autocomplete="off" placeholder="0"
                    aria-invalid=invalid(SettingsField::ContextBudget)
                    aria-describedby=described(SettingsField::ContextBudget, "sf-context-budget-hint")
                    prop:value=move || fields.context_budget.get()
                    on:input=move |ev| { fields.context_budget.set(event_target_value(&ev)); edited(); }/>
                <p class="hint" id="sf-context-budget-hint">{budget_hint}</p>
                {field_error(SettingsField::ContextBudget)}
            </div>
            <div class="field">
                <label for=ID_SYSTEM_PROMPT>{t(SettingsText::SystemPrompt)}</label>
                <textarea id=ID_SYSTEM_PROMPT rows="4"
                    aria-invalid=invalid(SettingsField::SystemPrompt)
                    aria-describedby=described(SettingsField::SystemPrompt, "sf-system-prompt-hint")
                    prop:value=move || fields.system_prompt.get()
                    on:input=move |ev| { fields.system_prompt.set(event_target_value(&ev)); edited(); }></textarea>
                <p class="hint" id="sf-system-prompt-hint">{t(SettingsText::SystemPromptHint)}</p>
                {field_error(SettingsField::SystemPrompt)}
            </div>
        </fieldset>
    }
    .into_any();

    let ui_option = move |value: UiLanguage, code: &'static str| {
        let label = move || match value {
            UiLanguage::Auto => SettingsText::LanguageAuto.text(locale.get()),
            UiLanguage::En => "English",
            UiLanguage::ZhCn => "简体中文",
        };
        view! { <option value=code selected=move || fields.ui_language.get() == value>{label}</option> }
    };
    let interface_section = view! {
        <fieldset class="settings-section" prop:disabled=loading>
            <legend>{t(SettingsText::InterfaceSection)}</legend>
            <div class="field">
                <label for=ID_UI_LANGUAGE>{t(SettingsText::InterfaceLanguage)}</label>
                <select id=ID_UI_LANGUAGE on:change=move |ev| {
                    let value = match event_target_value(&ev).as_str() {
                        "en" => UiLanguage::En,
                        "zh_cn" => UiLanguage::ZhCn,
                        _ => UiLanguage::Auto,
                    };
                    fields.ui_language.set(value);
                    edited();
                }>
                    {ui_option(UiLanguage::Auto, "auto")}
                    {ui_option(UiLanguage::En, "en")}
                    {ui_option(UiLanguage::ZhCn, "zh_cn")}
                </select>
            </div>
        </fieldset>
    }
    .into_any();

    view! {
        <form class="settings-form" novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
            {endpoint_section}
            {answer_section}
            {interface_section}
            <div class="form-actions">
                <button type="submit" prop:disabled=move || loading() || status.get() == SaveStatus::Saving>
                    {t(SettingsText::Save)}
                </button>
                <p class="status" role="status" class:error=move || matches!(status.get(), SaveStatus::Failed(_))>
                    {move || match status.get() {
                        SaveStatus::Idle => String::new(),
                        SaveStatus::Saving => SettingsText::Saving.text(locale.get()).to_string(),
                        SaveStatus::Saved => SettingsText::Saved.text(locale.get()).to_string(),
                        SaveStatus::Failed(message) => message,
                    }}
                </p>
            </div>
        </form>
    }
}
