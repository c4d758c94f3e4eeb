//! The first-run setup card: finds a model server on this computer, or takes a cloud provider's key, in one step.
//!
//! The panel shows [`SetupCard`] while no endpoint is configured. It probes
//! the local servers of `provider::local_detect` without host permission,
//! offers one button per server found (which asks for access inside the
//! click, lists the models, picks one and saves), and a cloud provider form
//! whose key is checked against the provider's model list before saving.
//! Every failure is shown as what to do next, never as a raw error.

use super::settings_form::{aim_origin_rewrite, fetch_models, restore_origin_rewrite, store, EndpointProblem};
use crate::i18n::settings_text::SettingsText;
use crate::i18n::Locale;
use crate::platform::extension_api::has;
use crate::platform::local_probe::{is_listening, PROBE_TIMEOUT_MS};
use crate::platform::origin_rewrite::request_local_endpoint_access;
use crate::provider::base_url::normalize_base_url;
use crate::provider::local_detect::{choose_model, LocalServer, LocalServerKind, LOCAL_SERVERS};
use crate::provider::presets::{find_preset, PRESETS};
use crate::provider::request::Endpoint;
use crate::settings::{validate_endpoint, EndpointForm, EndpointSettings, Settings, SettingsError, CUSTOM_PRESET};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a probe found on one port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Presence {
    Checking,
    Found,
    Missing,
}

/// The first cloud preset offered.
const DEFAULT_CLOUD_PRESET: &str = "openai";

/// The first-run setup. `on_done` receives the saved settings (also written
/// to `settings`) once an endpoint works.
#[component]
pub fn SetupCard(
    settings: RwSignal<Option<Settings>>,
    locale: Memo<Locale>,
    on_done: Callback<Settings>,
) -> impl IntoView {
    let presence =
        RwSignal::new(LOCAL_SERVERS.iter().map(|server| (server.kind, Presence::Checking)).collect::<Vec<_>>());
    let busy = RwSignal::new(None::<LocalServerKind>);
    let local_problem = RwSignal::new(None::<String>);
    let cloud_preset = RwSignal::new(DEFAULT_CLOUD_PRESET.to_string());
    let cloud_key = RwSignal::new(String::new());
    let cloud_error = RwSignal::new(None::<String>);
    let cloud_advice = RwSignal::new(None::<String>);
    let cloud_busy = RwSignal::new(false);
    // A key whose check failed; saving it again skips the check ("Save anyway").
    let unverified_key = RwSignal::new(None::<(String, String)>);
    let t = move |key: SettingsText| move || key.text(locale.get());

    let set_presence = move |kind: LocalServerKind, value: Presence| {
        presence.update(|all| {
            if let Some(entry) = all.iter_mut().find(|(k, _)| *k == kind) {
                entry.1 = value;
            }
        });
    };
    let check = move || {
        local_problem.set(None);
        for server in LOCAL_SERVERS {
            set_presence(server.kind, Presence::Checking);
            spawn_local(async move {
                let found = is_listening(server.probe_url, PROBE_TIMEOUT_MS).await;
                set_presence(server.kind, if found { Presence::Found } else { Presence::Missing });
            });
        }
    };
    check();

    // `store` has already published the saved settings in `settings`.
    let finish = move |next: Settings| on_done.run(next);

    let use_local = move |server: &'static LocalServer| {
        let Some(preset) = find_preset(server.preset_id) else {
            return;
        };
        busy.set(Some(server.kind));
        local_problem.set(None);
        spawn_local(async move {
            // First, while the click's activation lasts: host access for the
            // Origin rewrite that gets past Ollama's check of extension origins.
            let granted = request_local_endpoint_access(server.base_url).await;
            let refused = matches!(granted, Ok(false)) && has(&["declarativeNetRequest", "updateSessionRules"]);
            let locale = locale.get_untracked();
            let base_url =
                normalize_base_url(server.base_url, preset.family).unwrap_or_else(|_| server.base_url.into());
            let endpoint = Endpoint::from_preset(preset, base_url, "");
            let aimed = aim_origin_rewrite(server.base_url).await;
            let listed = fetch_models(&endpoint).await;
            let outcome = match listed {
                Ok(models) => match choose_model(&models) {
                    Ok(model) => {
                        let mut next = settings.get_untracked().unwrap_or_default();
                        next.endpoint = EndpointSettings {
                            preset: preset.id.to_string(),
                            base_url: server.base_url.to_string(),
                            model,
                            api_key: String::new(),
                        };
                        next.onboarded = true;
                        match store(settings, &next).await {
                            Ok(()) => Ok(next),
                            Err(message) => Err(message),
                        }
                    }
                    Err(_) => Err(match server.kind {
                        LocalServerKind::Ollama => SettingsText::SetupOllamaNoModels.text(locale).to_string(),
                        LocalServerKind::LlamaCpp | LocalServerKind::LmStudio => {
                            SettingsText::SetupServerNoModels.text(locale).to_string()
                        }
                    }),
                },
                Err(problem) => {
                    let advice = problem.message(locale);
                    Err(if refused {
                        format!("{} {advice}", SettingsText::SetupPermissionRefused.text(locale))
                    } else {
                        advice
                    })
                }
            };
            busy.set(None);
            match outcome {
                Ok(next) => finish(next),
                Err(message) => {
                    if aimed {
                        restore_origin_rewrite(settings).await;
                    }
                    local_problem.set(Some(message));
                }
            }
        });
    };

    let save_cloud = move || {
        let locale = locale.get_untracked();
        let Some(preset) = find_preset(&cloud_preset.get_untracked()) else {
            return;
        };
        let form = EndpointForm {
            preset: preset.id.to_string(),
            base_url: preset.base_url.to_string(),
            model: preset.default_model.to_string(),
            api_key: cloud_key.get_untracked(),
        };
        let endpoint = match validate_endpoint(&form) {
            Ok(endpoint) => endpoint,
            Err(error) => return cloud_error.set(Some(SettingsText::error(&error, locale))),
        };
        cloud_error.set(None);
        cloud_advice.set(None);
        let skip_check = unverified_key.get_untracked() == Some((preset.id.to_string(), endpoint.api_key.clone()));
        let mut next = settings.get_untracked().unwrap_or_default();
        next.endpoint = endpoint;
        next.onboarded = true;
        let Some(probe) = next.endpoint() else {
            let error = SettingsError::BaseUrlScheme;
            return cloud_error.set(Some(SettingsText::error(&error, locale)));
        };
        cloud_busy.set(true);
        spawn_local(async move {
            if !skip_check {
                if let Err(problem @ EndpointProblem::Advice(..)) = fetch_models(&probe).await {
                    unverified_key.set(Some((next.endpoint.preset.clone(), next.endpoint.api_key.clone())));
                    cloud_advice.set(Some(problem.message(locale)));
                    cloud_busy.set(false);
                    return;
                }
            }
            let saved = store(settings, &next).await;
            cloud_busy.set(false);
            match saved {
                Ok(()) => finish(next),
                Err(message) => cloud_advice.set(Some(message)),
            }
        });
    };

    let server_row = move |server: &'static LocalServer| {
        let state = move || presence.with(|all| all.iter().find(|(k, _)| *k == server.kind).map(|(_, p)| *p));
        let (found_text, missing_text, button_text) = match server.kind {
            LocalServerKind::Ollama => {
                (SettingsText::SetupOllamaFound, Some(SettingsText::SetupOllamaMissing), SettingsText::SetupUseOllama)
            }
            LocalServerKind::LlamaCpp => (
                SettingsText::SetupLlamaCppFound,
                Some(SettingsText::SetupLlamaCppMissing),
                SettingsText::SetupUseLlamaCpp,
            ),
            // LM Studio is only mentioned when it runs.
            LocalServerKind::LmStudio => (SettingsText::SetupLmStudioFound, None, SettingsText::SetupUseLmStudio),
        };
        move || match state() {
            Some(Presence::Found) => view! {
                <li class="setup-server found">
                    <p>{t(found_text)}</p>
                    <button type="button" class="setup-use"
                        prop:disabled=move || busy.get().is_some()
                        aria-busy=move || if busy.get() == Some(server.kind) { "true" } else { "false" }
                        on:click=move |_| use_local(server)>
                        {move || if busy.get() == Some(server.kind) {
                            SettingsText::SetupConnecting.text(locale.get())
                        } else {
                            button_text.text(locale.get())
                        }}
                    </button>
                </li>
            }
            .into_any(),
            Some(Presence::Missing) => match missing_text {
                Some(missing) => view! { <li class="setup-server missing"><p>{t(missing)}</p></li> }.into_any(),
                None => ().into_any(),
            },
            Some(Presence::Checking) | None => ().into_any(),
        }
    };
    let checking = move || presence.with(|all| all.iter().any(|(_, p)| *p == Presence::Checking));
    let cloud_presets = PRESETS.iter().filter(|preset| !preset.local && preset.id != CUSTOM_PRESET);

    view! {
        <section class="setup-card" aria-labelledby="setup-title">
            <h2 id="setup-title">{t(SettingsText::SetupTitle)}</h2>
            <p class="setup-intro">{t(SettingsText::SetupIntro)}</p>
            <section class="setup-local" aria-labelledby="setup-local-title">
                <h3 id="setup-local-title">{t(SettingsText::SetupLocalHeading)}</h3>
                <p class="setup-checking" role="status">
                    {move || if checking() { SettingsText::SetupChecking.text(locale.get()) } else { "" }}
                </p>
                <ul class="setup-servers">
                    {LOCAL_SERVERS.iter().map(server_row).collect_view()}
                </ul>
                <p class="setup-problem" role="alert">{move || local_problem.get()}</p>
                <button type="button" class="setup-check-again"
                    prop:disabled=move || checking() || busy.get().is_some()
                    on:click=move |_| check()>
                    {t(SettingsText::SetupCheckAgain)}
                </button>
            </section>
            <form class="setup-cloud" novalidate
                on:submit=move |ev| { ev.prevent_default(); save_cloud(); }>
                <h3 id="setup-cloud-title">{t(SettingsText::SetupCloudHeading)}</h3>
                <label for="setup-provider">{t(SettingsText::Provider)}</label>
                <select id="setup-provider" on:change=move |ev| {
                    cloud_preset.set(event_target_value(&ev));
                    cloud_advice.set(None);
                }>
                    {cloud_presets.map(|preset| {
                        let id = preset.id;
                        view! { <option value=id selected=move || cloud_preset.get() == id>{preset.name}</option> }
                    }).collect_view()}
                </select>
                <label for="setup-api-key">{t(SettingsText::ApiKey)}</label>
                <input id="setup-api-key" type="password" spellcheck="false" autocomplete="off"
                    aria-describedby="setup-api-key-hint"
                    aria-invalid=move || if cloud_error.with(Option::is_some) { "true" } else { "false" }
                    prop:value=move || cloud_key.get()
                    on:input=move |ev| { cloud_key.set(event_target_value(&ev)); cloud_error.set(None); }/>
                <p class="hint" id="setup-api-key-hint">{t(SettingsText::SetupCloudHint)}</p>
                <p class="field-error" role="alert">{move || cloud_error.get()}</p>
                <p class="setup-problem" role="status">{move || cloud_advice.get()}</p>
                <button type="submit" prop:disabled=move || cloud_busy.get()
                    aria-busy=move || if cloud_busy.get() { "true" } else { "false" }>
                    {move || if cloud_busy.get() {
                        SettingsText::SetupConnecting.text(locale.get())
                    } else if unverified_key.get() == Some((cloud_preset.get(), cloud_key.get().trim().to_string())) {
                        SettingsText::SetupSaveAnyway.text(locale.get())
                    } else {
                        SettingsText::SetupCloudSave.text(locale.get())
                    }}
                </button>
            </form>
            <p class="setup-more">
                <a href="options.html" target="_blank">{t(SettingsText::SetupFullSettings)}</a>
            </p>
        </section>
    }
}
