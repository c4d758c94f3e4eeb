//! Wasm tier: the IndexedDB history store in headless Chromium (`cargo xtask test wasm`).
//!
//! Each test opens its own database name (`HistoryStore::open_named`), so
//! tests never see each other's records; the schema is the real one.
#![cfg(target_arch = "wasm32")]

use pagewise::chat::{Conversation, PageContext};
use pagewise::platform::history_store::HistoryStore;
use pagewise::platform::PlatformError;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function put_raw(name, records) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('conversations', 'readwrite');
      for (const record of records) tx.objectStore('conversations').put(record);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onabort = () => { db.close(); reject(tx.error); };
    };
  });
}
export function delete_database(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}
export function upgrade(name, version) {
  return new Promise((resolve, reject) => {
    let blocked = false;
    const open = indexedDB.open(name, version);
    open.onblocked = () => { blocked = true; };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => { open.result.close(); resolve(blocked); };
  });
}
")]
extern "C" {
    fn put_raw(name: &str, records: JsValue) -> js_sys::Promise;
    fn upgrade(name: &str, version: u32) -> js_sys::Promise;
    fn delete_database(name: &str) -> js_sys::Promise;
}

/// A fresh, empty store under its own database name.
async fn fresh(name: &str) -> HistoryStore {
    let store = HistoryStore::open_named(name).await.unwrap();
    store.clear().await.unwrap();
    store
}

/// A conversation about `topic` with one question and one answer, last changed at `at`.
fn chat(id: &str, topic: &str, answer: &str, at: f64) -> Conversation {
    let mut conversation = Conversation::new(id, at - 10.0);
    conversation.page = Some(PageContext {
        url: format!("https://example.com/{id}"),
        title: topic.into(),
        site: "Example".into(),
        markdown: format!("# {topic}"),
        ..PageContext::default()
    });
    conversation.submit(&format!("Tell me about {topic}"), at - 5.0);
    let reply = conversation.start_answer(at - 4.0);
    conversation.append_reasoning(reply, "thinking…");
    conversation.append_content(reply, answer);
    conversation.complete(reply, at);
    conversation
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|item| id(item).to_string()).collect()
}

#[wasm_bindgen_test]
async fn a_conversation_round_trips_whole() {
    let store = fresh("test-round-trip").await;
    let mut conversation = chat("c1", "量子计算", "它介绍了量子比特。", 1_700_000_000_000.0);
    conversation.submit("And then?", 1_700_000_001_000.0);
    let failed = conversation.start_answer(1_700_000_002_000.0);
    conversation.append_content(failed, "partial");
    conversation.fail(failed, "The server is busy; retry in 20 s.", true, 1_700_000_003_000.0);
    store.put(&conversation).await.unwrap();
    assert_eq!(store.get("c1").await.unwrap(), Some(conversation.clone()));
    assert_eq!(store.get("missing").await.unwrap(), None);
    // Saving again replaces the record rather than adding one.
    conversation.submit("Third", 1_700_000_004_000.0);
    store.put(&conversation).await.unwrap();
    assert_eq!(store.all().await.unwrap(), vec![conversation]);
}

#[wasm_bindgen_test]
async fn the_list_is_most_recent_first_and_limited() {
    let store = fresh("test-recency").await;
    for (id, at) in [("b", 2000.0), ("d", 4000.0), ("a", 1000.0), ("e", 5000.0), ("c", 3000.0)] {
        store.put(&chat(id, id, "answer", at)).await.unwrap();
    }
    let recent = store.list_recent(3).await.unwrap();
    assert_eq!(ids(&recent, |e| &e.id), ["e", "d", "c"]);
    assert_eq!(recent[0].title, "e");
    assert_eq!(recent[0].url, "https://example.com/e");
    assert_eq!(recent[0].message_count, 2);
    assert_eq!(recent[0].preview, "answer");
    assert!(store.list_recent(0).await.unwrap().is_empty());
    // Touching an old conversation moves it to the top, once.
    let mut a = store.get("a").await.unwrap().unwrap();
    a.submit("again", 6000.0);
    store.put(&a).await.unwrap();
    assert_eq!(ids(&store.list_recent(100).await.unwrap(), |e| &e.id), ["a", "e", "d", "c", "b"]);
}

#[wasm_bindgen_test]
async fn delete_removes_one_conversation() {
    let store = fresh("test-delete").await;
    store.put(&chat("keep", "Keep", "x", 1.0e12)).await.unwrap();
    store.put(&chat("drop", "Drop", "y", 2.0e12)).await.unwrap();
    store.delete("drop").await.unwrap();
    store.delete("never-existed").await.unwrap();
    assert_eq!(store.get("drop").await.unwrap(), None);
    assert_eq!(ids(&store.list_recent(10).await.unwrap(), |e| &e.id), ["keep"]);
    store.clear().await.unwrap();
    assert!(store.all().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn search_finds_by_every_term_including_chinese() {
    let store = fresh("test-search").await;
    store.put(&chat("rust", "Rust ownership", "Borrowing is a reference.", 1.0e12)).await.unwrap();
    store.put(&chat("qc", "量子计算简介", "它介绍了量子比特和叠加态。", 3.0e12)).await.unwrap();
    store.put(&chat("cats", "Cats", "Cats sleep 16 hours.", 2.0e12)).await.unwrap();
    assert_eq!(found(&store, "叠加态").await, ["qc"]);
    assert_eq!(found(&store, "BORROWING rust").await, ["rust"]);
    assert_eq!(found(&store, "example.com/cats hours").await, ["cats"]);
    assert!(found(&store, "cats borrowing").await.is_empty());
    assert_eq!(found(&store, "").await, ["qc", "cats", "rust"]);
}

async fn found(store: &HistoryStore, query: &str) -> Vec<String> {
    ids(&store.search(query).await.unwrap(), |e| &e.id)
}

/// Saves every conversation through `store`, all at once.
fn put_all(store: &Rc<HistoryStore>, conversations: Vec<Conversation>) -> Vec<js_sys::Promise> {
    conversations
        .into_iter()
        .map(|conversation| {
            let store = store.clone();
            future_to_promise(async move {
                store.put(&conversation).await.map(|()| JsValue::UNDEFINED).map_err(|e| e.to_string().into())
            })
        })
        .collect()
}

#[wasm_bindgen_test]
async fn two_windows_writing_at_once_lose_nothing() {
    let name = "test-two-windows";
    fresh(name).await;
    let first = Rc::new(HistoryStore::open_named(name).await.unwrap());
    let second = Rc::new(HistoryStore::open_named(name).await.unwrap());
    let make = |window: &str| -> Vec<Conversation> {
        (0..20).map(|n| chat(&format!("{window}-{n}"), window, &format!("answer {n}"), 1.0e12 + n as f64)).collect()
    };
    let (from_first, from_second) = (make("first"), make("second"));
    // Both windows also save the same conversation: one whole version wins.
    let shared_a = chat("shared", "from the first window", "A", 5.0e12);
    let shared_b = chat("shared", "from the second window", "B", 5.0e12);
    let mut writes = put_all(&first, from_first.iter().cloned().chain([shared_a.clone()]).collect());
    // Interleave the two windows' writes.
    let second_writes = put_all(&second, from_second.iter().cloned().chain([shared_b.clone()]).collect());
    writes = writes.into_iter().zip(second_writes).flat_map(|(a, b)| [a, b]).collect();
    let all: js_sys::Array = writes.into_iter().map(JsValue::from).collect();
    JsFuture::from(js_sys::Promise::all(&all)).await.unwrap();

    let third = HistoryStore::open_named(name).await.unwrap();
    let stored = third.all().await.unwrap();
    assert_eq!(stored.len(), 41);
    for conversation in from_first.iter().chain(&from_second) {
        assert!(stored.contains(conversation), "{} was lost or changed", conversation.id);
    }
    let shared = third.get("shared").await.unwrap().unwrap();
    assert!(shared == shared_a || shared == shared_b, "a mix of both writes: {shared:?}");
    assert_eq!(third.list_recent(100).await.unwrap().len(), 41);
}

#[wasm_bindgen_test]
async fn an_export_imports_into_another_history() {
    let source = fresh("test-export").await;
    source.put(&chat("one", "量子", "答案", 1.0e12)).await.unwrap();
    source.put(&chat("two", "Two", "Answer", 2.0e12)).await.unwrap();
    let json = pagewise::history::export_json(&source.all().await.unwrap());
    let target = fresh("test-import").await;
    target.put_all(&pagewise::history::import_json(&json).unwrap()).await.unwrap();
    assert_eq!(target.all().await.unwrap(), source.all().await.unwrap());
    assert_eq!(ids(&target.list_recent(10).await.unwrap(), |e| &e.id), ["two", "one"]);
    target.put_all(&[]).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_record_survives_closing_and_reopening() {
    let name = "test-reopen";
    let store = fresh(name).await;
    let conversation = chat("kept", "Kept", "Still here.", 1.0e12);
    store.put(&conversation).await.unwrap();
    drop(store);
    let reopened = HistoryStore::open_named(name).await.unwrap();
    assert_eq!(reopened.get("kept").await.unwrap(), Some(conversation));
}

#[wasm_bindgen_test]
async fn damaged_records_are_skipped_by_lists() {
    let name = "test-damaged";
    let store = fresh(name).await;
    store.put(&chat("old", "Old", "x", 1.0e12)).await.unwrap();
    store.put(&chat("new", "New", "y", 2.0e12)).await.unwrap();
    let damaged = serde_json::json!([
        // Newest by the index, but its messages are not a list.
        {"id": "bad-shape", "updated_ms": 9.0e12, "created_ms": 1, "messages": "not a list"},
        // A string sorts after every number in IndexedDB: first in the walk.
        {"id": "bad-time", "updated_ms": "tomorrow", "created_ms": 1, "messages": []},
        // Not in the index at all.
        {"id": "bad-empty"},
    ]);
    let records = pagewise::platform::extension_api::to_js(&damaged, "damaged records").unwrap();
    JsFuture::from(put_raw(name, records)).await.unwrap();

    assert_eq!(ids(&store.list_recent(10).await.unwrap(), |e| &e.id), ["new", "old"]);
    assert_eq!(ids(&store.list_recent(1).await.unwrap(), |e| &e.id), ["new"], "skipped records do not count");
    assert_eq!(ids(&store.all().await.unwrap(), |c| &c.id), ["new", "old"]);
    assert_eq!(ids(&store.search("").await.unwrap(), |e| &e.id), ["new", "old"]);
    assert!(matches!(store.get("bad-shape").await, Err(PlatformError::Conversion { .. })));
}

#[wasm_bindgen_test]
async fn an_open_store_steps_aside_for_a_newer_version() {
    let name = "test-version-change";
    JsFuture::from(delete_database(name)).await.unwrap();
    let store = fresh(name).await;
    let blocked = JsFuture::from(upgrade(name, 2)).await.unwrap();
    assert_eq!(blocked, JsValue::FALSE, "the upgrade waited for our connection");
    // Our connection closed itself; writes now fail with an error, not a hang or a panic.
    assert!(matches!(store.put(&chat("late", "Late", "z", 1.0)).await, Err(PlatformError::Failed { .. })));
}
