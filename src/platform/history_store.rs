//! The conversation history in IndexedDB: open, put, get, delete, list by recency, search and clear.
//!
//! One database, `pagewise-history` (version 1), holds one object store,
//! `conversations`, keyed by the conversation's `id`, with an index on
//! `updated_ms` for the recency list. Each record is a whole
//! [`Conversation`] converted to a plain JS object (`to_js`, JSON-compatible),
//! so what the panel saves is exactly what import and export see. IndexedDB
//! is shared by every extension page and the worker of one profile, and it
//! outlives the panel, the worker and browser restarts.
//!
//! **Several windows at once.** Every write is one whole-record `put` (or
//! `delete`) in its own `readwrite` transaction, and a write resolves only
//! after its transaction's `complete` event. IndexedDB runs overlapping
//! readwrite transactions on the same store one after another, so two
//! windows saving different conversations never lose either record; two
//! windows saving the *same* conversation keep the later one whole (never a
//! mix of both). There is no read-modify-write across transactions here.
//!
//! **Upgrades.** An open connection closes itself when another connection
//! asks for a newer version (`onversionchange`), so a newer build in another
//! window is never blocked by this one; this store then reports errors
//! (reopen it). An open that is `blocked` by an older connection keeps
//! waiting: that connection closes on the version change.
//!
//! **Damaged records** (written by hand, or by a future build with another
//! shape) are skipped by [`HistoryStore::list_recent`], [`HistoryStore::all`]
//! and [`HistoryStore::search`], with a console warning, rather than failing
//! the whole list; [`HistoryStore::get`] of one reports it as a
//! `PlatformError::Conversion`.

use super::extension_api::{from_js, to_js};
use super::PlatformError;
use crate::chat::Conversation;
use crate::history::{self, HistoryEntry};
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Event, IdbCursorDirection, IdbCursorWithValue, IdbDatabase, IdbFactory, IdbObjectStore, IdbObjectStoreParameters,
    IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

/// The database's name.
pub const DATABASE: &str = "pagewise-history";
/// The schema version this build creates.
pub const VERSION: u32 = 1;
/// The object store of conversations, keyed by `id`.
pub const STORE: &str = "conversations";
/// The index over `updated_ms`, for the recency list.
pub const BY_UPDATED: &str = "updated_ms";

type Handler = Closure<dyn FnMut(Event)>;

/// An open connection to the history database.
///
/// Dropping it closes the connection. It is not `Clone`: share one with `Rc`.
pub struct HistoryStore {
    db: IdbDatabase,
    name: String,
    _on_version_change: Handler,
}

impl std::fmt::Debug for HistoryStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("HistoryStore").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Drop for HistoryStore {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.close();
    }
}

impl HistoryStore {
    /// Opens (and on first use creates) the `pagewise-history` database.
    pub async fn open() -> Result<HistoryStore, PlatformError> {
        HistoryStore::open_named(DATABASE).await
    }

    /// Opens a history database under another name, with the same schema
    /// (tests use one per case, so they cannot see each other's records).
    pub async fn open_named(name: &str) -> Result<HistoryStore, PlatformError> {
        let factory = indexed_db()?;
        let request = factory.open_with_u32(name, VERSION).map_err(|error| failed("open", error))?;
        let upgrade_error: Rc<RefCell<Option<PlatformError>>> = Rc::default();
        let on_upgrade = {
            let request = request.clone();
            let upgrade_error = upgrade_error.clone();
            Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
                if let Err(error) = upgrade(&request, event.old_version()) {
                    if let Some(transaction) = request.transaction() {
                        // Aborting the upgrade fails the open with an AbortError.
                        let _ = transaction.abort();
                    }
                    *upgrade_error.borrow_mut() = Some(error);
                }
            })
        };
        // Blocked means an older connection is still open; it closes itself
        // on our version change (see `onversionchange` below), so we wait.
        let on_blocked = Closure::<dyn FnMut(Event)>::new(|_event: Event| {});
        request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        request.set_onblocked(Some(on_blocked.as_ref().unchecked_ref()));
        let listening = {
            let request = request.clone();
            Listening::new((on_upgrade, on_blocked), move || {
                request.set_onupgradeneeded(None);
                request.set_onblocked(None);
            })
        };
        let opened = request_result(&request, "open").await;
        drop(listening);
        if let Some(error) = upgrade_error.borrow_mut().take() {
            return Err(error);
        }
        let db: IdbDatabase =
            opened?.dyn_into().map_err(|_| failed("open", JsValue::from_str("the result is not a database")))?;
        let on_version_change = {
            let db = db.clone();
            Closure::<dyn FnMut(Event)>::new(move |_event: Event| db.close())
        };
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        Ok(HistoryStore { db, name: name.to_string(), _on_version_change: on_version_change })
    }

    /// Saves a whole conversation (inserting or replacing the record with its
    /// id); resolves once the transaction has committed.
    pub async fn put(&self, conversation: &Conversation) -> Result<(), PlatformError> {
        let record = to_js(conversation, "a conversation")?;
        let (transaction, store) = self.store(IdbTransactionMode::Readwrite, "put")?;
        store.put(&record).map_err(|error| failed("put", error))?;
        committed(&transaction, "put").await
    }

    /// Saves many conversations in one transaction, all or nothing (an
    /// import); resolves once it has committed.
    pub async fn put_all(&self, conversations: &[Conversation]) -> Result<(), PlatformError> {
        let records = conversations.iter().map(|c| to_js(c, "a conversation")).collect::<Result<Vec<JsValue>, _>>()?;
        let (transaction, store) = self.store(IdbTransactionMode::Readwrite, "put")?;
        for record in &records {
            if let Err(error) = store.put(record) {
                let _ = transaction.abort();
                return Err(failed("put", error));
            }
        }
        committed(&transaction, "put").await
    }

    /// The conversation with this id, or `None`; a damaged record is a
    /// `PlatformError::Conversion`.
    pub async fn get(&self, id: &str) -> Result<Option<Conversation>, PlatformError> {
        let (_transaction, store) = self.store(IdbTransactionMode::Readonly, "get")?;
        let request = store.get(&JsValue::from_str(id)).map_err(|error| failed("get", error))?;
        let value = request_result(&request, "get").await?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        from_js(value, "a stored conversation").map(Some)
    }

    /// Deletes one conversation (nothing happens when there is none);
    /// resolves once the transaction has committed.
    pub async fn delete(&self, id: &str) -> Result<(), PlatformError> {
        let (transaction, store) = self.store(IdbTransactionMode::Readwrite, "delete")?;
        store.delete(&JsValue::from_str(id)).map_err(|error| failed("delete", error))?;
        committed(&transaction, "delete").await
    }

    /// Deletes every conversation; resolves once the transaction has committed.
    pub async fn clear(&self) -> Result<(), PlatformError> {
        let (transaction, store) = self.store(IdbTransactionMode::Readwrite, "clear")?;
        store.clear().map_err(|error| failed("clear", error))?;
        committed(&transaction, "clear").await
    }

    /// Up to `limit` list entries, most recently updated first, walking the
    /// `updated_ms` index backwards (damaged records are skipped and do not
    /// count towards the limit).
    pub async fn list_recent(&self, limit: usize) -> Result<Vec<HistoryEntry>, PlatformError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let (_transaction, store) = self.store(IdbTransactionMode::Readonly, "list")?;
        let index = store.index(BY_UPDATED).map_err(|error| failed("list", error))?;
        let request = index
            .open_cursor_with_range_and_direction(&JsValue::NULL, IdbCursorDirection::Prev)
            .map_err(|error| failed("list", error))?;
        let entries: Rc<RefCell<Vec<HistoryEntry>>> = Rc::default();
        let skipped = Rc::new(RefCell::new(0_usize));
        let (promise, resolve, reject) = deferred();
        // The whole walk happens inside the success events, so the transaction
        // stays active without depending on when futures are polled.
        let on_success = {
            let (request, entries, skipped) = (request.clone(), entries.clone(), skipped.clone());
            let reject = reject.clone();
            Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
                let cursor = request.result().ok().and_then(|value| value.dyn_into::<IdbCursorWithValue>().ok());
                let Some(cursor) = cursor else {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                    return;
                };
                let value = cursor.value().ok();
                match value.and_then(|value| from_js::<Conversation>(value, "a stored conversation").ok()) {
                    Some(conversation) => entries.borrow_mut().push(HistoryEntry::of(&conversation)),
                    None => *skipped.borrow_mut() += 1,
                }
                if entries.borrow().len() >= limit {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                } else if let Err(error) = cursor.continue_() {
                    let _ = reject.call1(&JsValue::UNDEFINED, &error);
                }
            })
        };
        let on_error = error_handler(&request, reject);
        let _listening = Listening::request(&request, on_success, on_error);
        JsFuture::from(promise).await.map_err(|error| failed("list", error))?;
        warn_skipped(*skipped.borrow(), &self.name);
        Ok(entries.take())
    }

    /// Every readable conversation, in key (id) order; damaged records are skipped.
    pub async fn all(&self) -> Result<Vec<Conversation>, PlatformError> {
        let (_transaction, store) = self.store(IdbTransactionMode::Readonly, "all")?;
        let request = store.get_all().map_err(|error| failed("all", error))?;
        let records: Array = request_result(&request, "all")
            .await?
            .dyn_into()
            .map_err(|_| failed("all", JsValue::from_str("getAll did not return a list")))?;
        let mut conversations = Vec::with_capacity(records.length() as usize);
        let mut skipped = 0;
        for record in records.iter() {
            match from_js::<Conversation>(record, "a stored conversation") {
                Ok(conversation) => conversations.push(conversation),
                Err(_) => skipped += 1,
            }
        }
        warn_skipped(skipped, &self.name);
        Ok(conversations)
    }

    /// The conversations matching `query`, most recent first (see
    /// [`history::search`]); loads every record, which is fine for thousands.
    pub async fn search(&self, query: &str) -> Result<Vec<HistoryEntry>, PlatformError> {
        Ok(history::search(&self.all().await?, query))
    }

    /// A new transaction over the conversations and its object store.
    fn store(&self, mode: IdbTransactionMode, what: &str) -> Result<(IdbTransaction, IdbObjectStore), PlatformError> {
        let transaction = self.db.transaction_with_str_and_mode(STORE, mode).map_err(|error| failed(what, error))?;
        let store = transaction.object_store(STORE).map_err(|error| failed(what, error))?;
        Ok((transaction, store))
    }
}

/// Creates the schema when the database is new (`old_version` 0).
fn upgrade(request: &IdbOpenDbRequest, old_version: f64) -> Result<(), PlatformError> {
    if old_version >= 1.0 {
        return Ok(());
    }
    let db: IdbDatabase =
        request.result().and_then(|value| value.dyn_into()).map_err(|error| failed("upgrade", error))?;
    let parameters = IdbObjectStoreParameters::new();
    parameters.set_key_path(&JsValue::from_str("id"));
    let store =
        db.create_object_store_with_optional_parameters(STORE, &parameters).map_err(|e| failed("upgrade", e))?;
    store.create_index_with_str(BY_UPDATED, "updated_ms").map_err(|error| failed("upgrade", error))?;
    Ok(())
}

/// `indexedDB` of this context (a page or the extension's worker).
fn indexed_db() -> Result<IdbFactory, PlatformError> {
    Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .ok()
        .and_then(|factory| factory.dyn_into::<IdbFactory>().ok())
        .ok_or_else(|| PlatformError::Missing("indexedDB".into()))
}

fn failed(what: &str, error: JsValue) -> PlatformError {
    PlatformError::failed(&format!("indexedDB {what}"), error)
}

fn warn_skipped(skipped: usize, database: &str) {
    if skipped > 0 {
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "Pagewise history ({database}): skipped {skipped} damaged record(s)"
        )));
    }
}

/// A promise with its resolve and reject functions.
fn deferred() -> (Promise, Function, Function) {
    let mut functions = (JsValue::UNDEFINED, JsValue::UNDEFINED);
    // The executor runs synchronously, inside `Promise::new`.
    let promise = Promise::new(&mut |resolve, reject| functions = (resolve.into(), reject.into()));
    (promise, functions.0.unchecked_into(), functions.1.unchecked_into())
}

/// An `onerror` handler rejecting with the request's error.
fn error_handler(request: &IdbRequest, reject: Function) -> Handler {
    let request = request.clone();
    Closure::new(move |_event: Event| {
        let error = request.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let _ = reject.call1(&JsValue::UNDEFINED, &error);
    })
}

/// Event handlers installed on a request or transaction, uninstalled when
/// this is dropped (also when the awaiting future is dropped early), so the
/// browser never calls a dropped closure.
struct Listening<H> {
    _handlers: H,
    uninstall: Box<dyn Fn()>,
}

impl<H> Listening<H> {
    fn new(handlers: H, uninstall: impl Fn() + 'static) -> Listening<H> {
        Listening { _handlers: handlers, uninstall: Box::new(uninstall) }
    }
}

impl Listening<(Handler, Handler)> {
    /// Installs a request's `success` and `error` handlers.
    fn request(request: &IdbRequest, on_success: Handler, on_error: Handler) -> Self {
        request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let request = request.clone();
        Listening::new((on_success, on_error), move || {
            request.set_onsuccess(None);
            request.set_onerror(None);
        })
    }
}

impl<H> Drop for Listening<H> {
    fn drop(&mut self) {
        (self.uninstall)();
    }
}

/// Awaits one request's `success` (its result) or `error`.
async fn request_result(request: &IdbRequest, what: &str) -> Result<JsValue, PlatformError> {
    let (promise, resolve, reject) = deferred();
    let on_success = {
        let request = request.clone();
        Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &request.result().unwrap_or(JsValue::UNDEFINED));
        })
    };
    let on_error = error_handler(request, reject);
    let _listening = Listening::request(request, on_success, on_error);
    JsFuture::from(promise).await.map_err(|error| failed(what, error))
}

/// Awaits a transaction's `complete` (committed) or `abort` (with its cause).
async fn committed(transaction: &IdbTransaction, what: &str) -> Result<(), PlatformError> {
    let (promise, resolve, reject) = deferred();
    let on_complete = Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let on_abort = {
        let transaction = transaction.clone();
        Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
            let error = transaction
                .error()
                .map(JsValue::from)
                .unwrap_or_else(|| JsValue::from_str("the transaction was aborted"));
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        })
    };
    transaction.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
    transaction.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let _listening = {
        let transaction = transaction.clone();
        Listening::new((on_complete, on_abort), move || {
            transaction.set_oncomplete(None);
            transaction.set_onabort(None);
        })
    };
    JsFuture::from(promise).await.map(|_| ()).map_err(|error| failed(what, error))
}
