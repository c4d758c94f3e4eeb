//! The editor of the user's own actions on the options page: list, add, edit, delete, live preview, export and import.
//!
//! [`ActionsEditor`] edits `Settings::custom_actions`. Every change (an
//! action saved or deleted, the suggested actions added, a file imported) is
//! written at once as the whole settings record, so the worker's menu and
//! the panel, which watch storage, follow it. Filling, validation, ids,
//! defaults and the JSON format are the core's (`custom_actions`).

use crate::custom_actions::{
    default_actions, export_json, fill, import_json, merge_imported, new_id, preview_values, validate, CustomAction,
    CustomActionError,
};
use crate::i18n::settings_text::SettingsText;
use crate::i18n::Locale;
use crate::menu::MenuContext;
use crate::platform::download::save_text_file;
use crate::platform::storage::{save_settings, StorageArea};
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Element ids (the editor appears once per document).
const ID_NAME: &str = "ae-name";
const ID_TEMPLATE: &str = "ae-template";
const ID_MODEL: &str = "ae-model";
const ID_IMPORT: &str = "ae-import";
const ID_ERROR: &str = "ae-error";

/// The contexts an action can appear in, in the order the editor shows them.
const CONTEXTS: [(MenuContext, SettingsText); 4] = [
    (MenuContext::Selection, SettingsText::ActionContextSelection),
    (MenuContext::Page, SettingsText::ActionContextPage),
    (MenuContext::Link, SettingsText::ActionContextLink),
    (MenuContext::Image, SettingsText::ActionContextImage),
];

/// The outcome of the last change.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Busy,
    /// A message, already in the interface language.
    Done(String),
    Failed(String),
}

/// Which field an action error belongs to, as its element id.
fn error_field(error: &CustomActionError) -> Option<&'static str> {
    match error {
        CustomActionError::NameEmpty | CustomActionError::NameTooLong => Some(ID_NAME),
        CustomActionError::TemplateEmpty | CustomActionError::TemplateTooLong => Some(ID_TEMPLATE),
        CustomActionError::BadModel => Some(ID_MODEL),
        CustomActionError::NoContexts => Some("ae-context-selection"),
        _ => None,
    }
}

/// Moves keyboard focus to the element with `id`, if it exists.
fn focus(id: &'static str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The text of the file chosen in `input`, if one was chosen.
async fn chosen_file_text(input: &web_sys::HtmlInputElement) -> Result<Option<String>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|error| error.as_string().unwrap_or_else(|| format!("{error:?}")))?;
    Ok(text.as_string())
}

/// Writes `actions` into the stored settings record and publishes it.
async fn persist(settings: RwSignal<Option<Settings>>, actions: Vec<CustomAction>) -> Result<(), String> {
    let mut next = settings.get_untracked().unwrap_or_default();
    next.custom_actions = actions;
    let area = StorageArea::local().map_err(|error| error.to_string())?;
    save_settings(&area, &next).await.map_err(|error| error.to_string())?;
    settings.set(Some(next));
    Ok(())
}

/// The draft being edited: `editing` is `None` when the form is closed,
/// `Some(None)` for a new action and `Some(Some(id))` for an existing one.
#[derive(Clone, Copy)]
struct Draft {
    editing: RwSignal<Option<Option<String>>>,
    name: RwSignal<String>,
    template: RwSignal<String>,
    contexts: RwSignal<Vec<MenuContext>>,
    model: RwSignal<String>,
    error: RwSignal<Option<CustomActionError>>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            editing: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            template: RwSignal::new(String::new()),
            contexts: RwSignal::new(Vec::new()),
            model: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// Opens the form on `action`, or on a blank new action.
    fn open(&self, action: Option<&CustomAction>) {
        self.name.set(action.map(|a| a.name.clone()).unwrap_or_default());
        self.template.set(action.map(|a| a.template.clone()).unwrap_or_default());
        self.contexts.set(action.map_or_else(|| vec![MenuContext::Selection], |a| a.contexts.clone()));
        self.model.set(action.and_then(|a| a.model.clone()).unwrap_or_default());
        self.error.set(None);
        self.editing.set(Some(action.map(|a| a.id.clone())));
    }

    /// The action the form describes, with `id` (not validated).
    fn action(&self, id: String) -> CustomAction {
        let chosen = self.contexts.get_untracked();
        let model = self.model.get_untracked().trim().to_string();
        CustomAction {
            id,
            name: self.name.get_untracked().trim().to_string(),
            template: self.template.get_untracked(),
            contexts: CONTEXTS.iter().map(|(context, _)| *context).filter(|context| chosen.contains(context)).collect(),
            model: (!model.is_empty()).then_some(model),
        }
    }
}

/// The list and editor of the user's own actions. `settings` is `None`
/// while loading (the editor is disabled).
#[component]
pub fn ActionsEditor(settings: RwSignal<Option<Settings>>, locale: Memo<Locale>) -> impl IntoView {
    let draft = Draft::new();
    let status = RwSignal::new(Status::Idle);
    let actions = move || settings.with(|s| s.as_ref().map(|s| s.custom_actions.clone()).unwrap_or_default());
    let current = move || settings.with_untracked(|s| s.as_ref().map(|s| s.custom_actions.clone()).unwrap_or_default());
    let loading = move || settings.with(Option::is_none);
    let busy = move || loading() || status.get() == Status::Busy;
    let t = move |key: SettingsText| move || key.text(locale.get());

    // Stores `next`, then reports `done` (or the failure) and runs `after`.
    let write = move |next: Vec<CustomAction>, done: String, after: Option<Box<dyn FnOnce()>>| {
        status.set(Status::Busy);
        spawn_local(async move {
            match persist(settings, next).await {
                Ok(()) => {
                    status.set(Status::Done(done));
                    if let Some(after) = after {
                        after();
                    }
                }
                Err(message) => status.set(Status::Failed(message)),
            }
        });
    };

    let save_draft = move || {
        let Some(original) = draft.editing.get_untracked() else {
            return;
        };
        let list = current();
        let id = original.clone().unwrap_or_else(|| new_id(draft.name.get_untracked().trim(), &list));
        let action = draft.action(id);
        if let Err(error) = validate(&action) {
            if let Some(id) = error_field(&error) {
                focus(id);
            }
            draft.error.set(Some(error));
            return;
        }
        draft.error.set(None);
        let mut next = list;
        match next.iter_mut().find(|kept| Some(&kept.id) == original.as_ref()) {
            Some(kept) => *kept = action,
            None => next.push(action),
        }
        let done = SettingsText::ActionsSaved.text(locale.get_untracked()).to_string();
        write(next, done, Some(Box::new(move || draft.editing.set(None))));
    };

    let delete = move |id: String| {
        let list = current();
        let Some(gone) = list.iter().find(|action| action.id == id).map(|action| action.name.clone()) else {
            return;
        };
        if draft.editing.get_untracked().flatten().as_deref() == Some(id.as_str()) {
            draft.editing.set(None);
        }
        let next = list.into_iter().filter(|action| action.id != id).collect();
        let done = SettingsText::ActionsDeleted.with(locale.get_untracked(), &[("{name}", &gone)]);
        write(next, done, None);
    };

    let add_suggested = move || {
        let list = current();
        let fresh: Vec<CustomAction> = default_actions(locale.get_untracked())
            .into_iter()
            .filter(|suggested| !list.iter().any(|kept| kept.id == suggested.id))
            .collect();
        if fresh.is_empty() {
            return status.set(Status::Done(SettingsText::ActionsNothingToSuggest.text(locale.get_untracked()).into()));
        }
        let done = SettingsText::ActionsSaved.text(locale.get_untracked()).to_string();
        write(merge_imported(&list, &fresh), done, None);
    };

    let export = move || {
        if let Err(error) = save_text_file("pagewise-actions.json", "application/json", &export_json(&current())) {
            status.set(Status::Failed(error.to_string()));
        }
    };

    let import = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        status.set(Status::Busy);
        spawn_local(async move {
            let text = chosen_file_text(&input).await;
            // Clearing the choice lets the same file be imported again.
            input.set_value("");
            let locale = locale.get_untracked();
            let imported = match text {
                Ok(Some(text)) => import_json(&text).map_err(|error| SettingsText::action_error(&error, locale)),
                Ok(None) => return status.set(Status::Idle),
                Err(message) => Err(format!("{}{message}", SettingsText::ActionsImportFailed.text(locale))),
            };
            match imported {
                Ok(imported) => {
                    let count = imported.len().to_string();
                    let next = merge_imported(&current(), &imported);
                    match persist(settings, next).await {
                        Ok(()) => {
                            status.set(Status::Done(SettingsText::ActionsImported.with(locale, &[("{n}", &count)])))
                        }
                        Err(message) => status.set(Status::Failed(message)),
                    }
                }
                Err(message) => status.set(Status::Failed(message)),
            }
        });
    };

    let open = move |action: Option<CustomAction>| {
        draft.open(action.as_ref());
        request_animation_frame(move || focus(ID_NAME));
    };

    let context_names = move |contexts: &[MenuContext]| {
        CONTEXTS
            .iter()
            .filter(|(context, _)| contexts.contains(context))
            .map(|(_, label)| label.text(locale.get()))
            .collect::<Vec<_>>()
            .join(" · ")
    };

    let list_view = move || {
        let list = actions();
        if list.is_empty() {
            return view! { <p class="actions-empty">{t(SettingsText::ActionsEmpty)}</p> }.into_any();
        }
        let rows = list
            .into_iter()
            .map(|action| {
                let locale_now = locale.get();
                let edit_label = SettingsText::ActionEdit.with(locale_now, &[("{name}", &action.name)]);
                let delete_label = SettingsText::ActionDelete.with(locale_now, &[("{name}", &action.name)]);
                let where_shown = context_names(&action.contexts);
                let model = action.model.clone();
                let delete_id = action.id.clone();
                let name = action.name.clone();
                view! {
                    <li class="action-row">
                        <span class="action-name">{name}</span>
                        <span class="action-contexts">{where_shown}</span>
                        {model.map(|model| view! { <span class="action-model">{model}</span> })}
                        <button type="button" class="link-button" aria-label=edit_label prop:disabled=busy
                            on:click=move |_| open(Some(action.clone()))>
                            {t(SettingsText::ActionEditButton)}
                        </button>
                        <button type="button" class="link-button" aria-label=delete_label prop:disabled=busy
                            on:click=move |_| delete(delete_id.clone())>
                            {t(SettingsText::ActionDeleteButton)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="action-list" aria-label=move || SettingsText::ActionsListLabel.text(locale.get())>{rows}</ul> }
            .into_any()
    };

    let invalid = move |id: &'static str| {
        move || {
            let wrong = draft.error.with(|error| error.as_ref().and_then(error_field) == Some(id));
            if wrong {
                "true"
            } else {
                "false"
            }
        }
    };

    let form_view = move || {
        draft.editing.get().map(|original| {
            let heading =
                if original.is_some() { SettingsText::ActionEditorEdit } else { SettingsText::ActionEditorNew };
            let checkbox = move |context: MenuContext, label: SettingsText| {
                let id = match context {
                    MenuContext::Selection => "ae-context-selection",
                    MenuContext::Page => "ae-context-page",
                    MenuContext::Link => "ae-context-link",
                    MenuContext::Image => "ae-context-image",
                };
                view! {
                    <label class="check" for=id>
                        <input type="checkbox" id=id
                            prop:checked=move || draft.contexts.with(|chosen| chosen.contains(&context))
                            on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                draft.contexts.update(|chosen| {
                                    chosen.retain(|kept| *kept != context);
                                    if checked {
                                        chosen.push(context);
                                    }
                                });
                            }/>
                        {t(label)}
                    </label>
                }
            };
            view! {
                <form class="action-form" novalidate aria-labelledby="ae-form-heading"
                    on:submit=move |ev| { ev.prevent_default(); save_draft(); }>
                    <h3 id="ae-form-heading">{t(heading)}</h3>
                    <div class="field">
                        <label for=ID_NAME>{t(SettingsText::ActionName)}</label>
                        <input id=ID_NAME type="text" autocomplete="off" maxlength="60"
                            aria-invalid=invalid(ID_NAME)
                            prop:value=move || draft.name.get()
                            on:input=move |ev| draft.name.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=ID_TEMPLATE>{t(SettingsText::ActionTemplate)}</label>
                        <textarea id=ID_TEMPLATE rows="5" spellcheck="false" aria-describedby="ae-template-hint"
                            aria-invalid=invalid(ID_TEMPLATE)
                            prop:value=move || draft.template.get()
                            on:input=move |ev| draft.template.set(event_target_value(&ev))></textarea>
                        <p class="hint" id="ae-template-hint">{t(SettingsText::ActionTemplateHint)}</p>
                    </div>
                    <fieldset class="field contexts">
                        <legend>{t(SettingsText::ActionAppearsOn)}</legend>
                        {CONTEXTS.iter().map(|(context, label)| checkbox(*context, *label)).collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for=ID_MODEL>{t(SettingsText::ActionModel)}</label>
                        <input id=ID_MODEL type="text" autocomplete="off" spellcheck="false"
                            aria-describedby="ae-model-hint" aria-invalid=invalid(ID_MODEL)
                            prop:value=move || draft.model.get()
                            on:input=move |ev| draft.model.set(event_target_value(&ev))/>
                        <p class="hint" id="ae-model-hint">{t(SettingsText::ActionModelHint)}</p>
                    </div>
                    <figure class="action-preview">
                        <figcaption>{t(SettingsText::ActionPreview)}</figcaption>
                        <p class="hint">{t(SettingsText::ActionPreviewHint)}</p>
                        <pre class="action-preview-text">
                            {move || fill(&draft.template.get(), &preview_values(locale.get()))}
                        </pre>
                    </figure>
                    {move || draft.error.get().map(|error| view! {
                        <p class="field-error" role="alert" id=ID_ERROR>
                            {SettingsText::action_error(&error, locale.get())}
                        </p>
                    })}
                    <div class="form-actions">
                        <button type="submit" prop:disabled=busy>{t(SettingsText::ActionSave)}</button>
                        <button type="button" on:click=move |_| draft.editing.set(None)>
                            {t(SettingsText::ActionCancel)}
                        </button>
                    </div>
                </form>
            }
        })
    };

    view! {
        <div class="actions-editor">
            <p class="hint">{t(SettingsText::ActionsIntro)}</p>
            {list_view}
            {form_view}
            <div class="form-actions actions-toolbar">
                <button type="button" prop:disabled=busy on:click=move |_| open(None)>
                    {t(SettingsText::ActionsAdd)}
                </button>
                <button type="button" prop:disabled=busy on:click=move |_| add_suggested()>
                    {t(SettingsText::ActionsAddSuggested)}
                </button>
                <button type="button" prop:disabled=busy on:click=move |_| export()>
                    {t(SettingsText::ActionsExport)}
                </button>
                <label class="import" for=ID_IMPORT>{t(SettingsText::ActionsImport)}</label>
                <input id=ID_IMPORT type="file" accept="application/json,.json" prop:disabled=busy on:change=import/>
            </div>
            <p class="status" role="status" class:error=move || matches!(status.get(), Status::Failed(_))>
                {move || match status.get() {
                    Status::Idle | Status::Busy => String::new(),
                    Status::Done(message) | Status::Failed(message) => message,
                }}
            </p>
        </div>
    }
}
