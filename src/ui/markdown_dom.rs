//! Builds DOM nodes from the core's safe Markdown tree (`answer_markdown`), and keeps a streamed answer's DOM in step.
//!
//! Every element comes from `document.createElement(tag.name())` with the
//! allowlisted tag, every attribute from `setAttribute` with an allowlisted
//! name, every text from `createTextNode`: no HTML string is ever parsed.
//! Links also get `target="_blank"` and `rel="noopener noreferrer"`. A code
//! block is wrapped with a header holding its language and a Copy button:
//!
//! ```text
//! div.code-block
//!   div.code-header
//!     span.code-lang        (only when the block names a language)
//!     button.copy-code      (type=button, aria-label and text from DomLabels)
//!   pre[data-language] > code
//! ```
//!
//! Copy buttons need no handler of their own: one delegated `click` listener
//! on the document (installed once per page, its closure deliberately kept for
//! the page's life) finds the clicked `.copy-code`, reads the text of its
//! block's `code` element and copies it through `platform::clipboard`; the
//! button carries the class `copied` for 1.5 s afterwards.

use crate::answer_markdown::{
    render_markdown, IncrementalMarkdown, RenderUpdate, SafeAttr, SafeElement, SafeNode, SafeTag,
};
use crate::platform::clipboard::copy_text;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, Node};

/// The class the container of a rendered answer gets.
pub const CONTAINER_CLASS: &str = "answer-markdown";

/// How long a Copy button shows `copied`.
const COPIED_FEEDBACK_MS: u32 = 1_500;

/// Interface strings the DOM builder needs (the caller translates them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomLabels {
    /// The Copy button's text and accessible name.
    pub copy: String,
}

/// Appends the nodes under `parent` and returns the top-level DOM nodes it
/// appended (a node that could not be created is skipped, never a panic).
pub fn append_nodes(parent: &Node, nodes: &[SafeNode], doc: &Document, labels: &DomLabels) -> Vec<Node> {
    let mut appended = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Ok(built) = build(node, doc, labels) else { continue };
        if let Ok(added) = parent.append_child(&built) {
            appended.push(added);
        }
    }
    appended
}

/// One safe node as a DOM node. Recursion is bounded: the core caps nesting.
fn build(node: &SafeNode, doc: &Document, labels: &DomLabels) -> Result<Node, JsValue> {
    match node {
        SafeNode::Text(text) => Ok(doc.create_text_node(text).into()),
        SafeNode::Element(element) if element.tag == SafeTag::Pre => build_code_block(element, doc, labels),
        SafeNode::Element(element) => Ok(build_element(element, doc, labels)?.into()),
    }
}

fn build_element(element: &SafeElement, doc: &Document, labels: &DomLabels) -> Result<Element, JsValue> {
    let dom = doc.create_element(element.tag.name())?;
    for (attr, value) in &element.attrs {
        dom.set_attribute(attr.name(), value)?;
    }
    if element.tag == SafeTag::A {
        dom.set_attribute("target", "_blank")?;
        dom.set_attribute("rel", "noopener noreferrer")?;
    }
    append_nodes(&dom, &element.children, doc, labels);
    Ok(dom)
}

/// A `pre` inside its `.code-block` wrapper, after a header with the language and a Copy button.
fn build_code_block(pre: &SafeElement, doc: &Document, labels: &DomLabels) -> Result<Node, JsValue> {
    ensure_copy_listener(doc);
    let block = doc.create_element("div")?;
    block.set_class_name("code-block");
    let header = doc.create_element("div")?;
    header.set_class_name("code-header");
    if let Some(language) = pre.attr(SafeAttr::Language) {
        let label = doc.create_element("span")?;
        label.set_class_name("code-lang");
        label.append_child(&doc.create_text_node(language))?;
        header.append_child(&label)?;
    }
    let button = doc.create_element("button")?;
    button.set_class_name("copy-code");
    button.set_attribute("type", "button")?;
    button.set_attribute("aria-label", &labels.copy)?;
    button.append_child(&doc.create_text_node(&labels.copy))?;
    header.append_child(&button)?;
    block.append_child(&header)?;
    let pre: Node = build_element(pre, doc, labels)?.into();
    block.append_child(&pre)?;
    Ok(block.into())
}

thread_local! {
    /// Whether this page's document already has the delegated Copy listener.
    static COPY_LISTENER: Cell<bool> = const { Cell::new(false) };
}

/// Installs the one delegated click listener for every Copy button of the page.
fn ensure_copy_listener(doc: &Document) {
    if COPY_LISTENER.with(Cell::get) {
        return;
    }
    let listener = Closure::<dyn FnMut(Event)>::new(on_document_click);
    if doc.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref()).is_ok() {
        COPY_LISTENER.with(|installed| installed.set(true));
        // Lives as long as the page: one closure, whatever the number of buttons.
        listener.forget();
    }
}

fn on_document_click(event: Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let Ok(Some(button)) = target.closest("button.copy-code") else { return };
    let Ok(Some(block)) = button.closest(".code-block") else { return };
    let Ok(Some(code)) = block.query_selector("pre > code") else { return };
    let text = code.text_content().unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        if copy_text(&text).await.is_ok() {
            let _ = button.class_list().add_1("copied");
            gloo::timers::callback::Timeout::new(COPIED_FEEDBACK_MS, move || {
                let _ = button.class_list().remove_1("copied");
            })
            .forget();
        }
    });
}

/// An answer rendered into a container as it streams.
///
/// Finished blocks are appended once and never touched again; the open tail's
/// DOM nodes are replaced on every push, so the DOM work per push is
/// proportional to the update (the new blocks plus the open tail).
pub struct LiveMarkdown {
    container: Element,
    document: Option<Document>,
    labels: DomLabels,
    renderer: IncrementalMarkdown,
    /// The DOM nodes of the current tail, in order, directly under `container`.
    tail: Vec<Node>,
}

impl LiveMarkdown {
    /// Takes over `container` (adds the class `answer-markdown`); its existing children are left alone until `set_text`.
    pub fn new(container: Element, labels: DomLabels) -> Self {
        let _ = container.class_list().add_1(CONTAINER_CLASS);
        let document = container.owner_document().or_else(|| web_sys::window().and_then(|w| w.document()));
        LiveMarkdown { container, document, labels, renderer: IncrementalMarkdown::new(), tail: Vec::new() }
    }

    /// Renders the next delta of the streamed answer.
    pub fn push(&mut self, delta: &str) {
        let update = self.renderer.push(delta);
        self.apply(update);
    }

    /// Ends the stream: the tail becomes finished blocks.
    pub fn finish(&mut self) {
        let update = self.renderer.finish();
        self.apply(update);
    }

    /// Replaces everything with the render of a whole answer (a stored message).
    pub fn set_text(&mut self, whole: &str) {
        self.renderer = IncrementalMarkdown::new();
        self.tail.clear();
        // textContent = null removes every child; no markup is parsed.
        self.container.set_text_content(None);
        self.apply(RenderUpdate { finished: render_markdown(whole), tail: Vec::new() });
    }

    /// Removes the old tail's nodes, appends the finished blocks, then the new tail.
    fn apply(&mut self, update: RenderUpdate) {
        for node in self.tail.drain(..) {
            let _ = self.container.remove_child(&node);
        }
        let Some(doc) = &self.document else { return };
        append_nodes(&self.container, &update.finished, doc, &self.labels);
        self.tail = append_nodes(&self.container, &update.tail, doc, &self.labels);
    }
}

/// A [`LiveMarkdown`] that renders at most once per animation frame.
///
/// Deltas arriving between two frames are joined and rendered together in
/// the next frame, so a fast stream costs a few renders per frame's worth of
/// text instead of one per token, and nothing is drawn that the screen would
/// not show. [`FramedMarkdown::finish`] and [`FramedMarkdown::set_text`]
/// render at once. Clones share the same answer.
#[derive(Clone)]
pub struct FramedMarkdown {
    shared: std::rc::Rc<std::cell::RefCell<Framed>>,
}

struct Framed {
    live: LiveMarkdown,
    pending: String,
    scheduled: bool,
    /// Time spent rendering, for the panel benchmark.
    render_ms: f64,
    longest_render_ms: f64,
    renders: u32,
    /// Called after each render (the panel keeps the transcript scrolled).
    after_render: Option<std::rc::Rc<dyn Fn()>>,
}

impl FramedMarkdown {
    /// Takes over `container` (see [`LiveMarkdown::new`]).
    pub fn new(container: Element, labels: DomLabels) -> Self {
        let framed = Framed {
            live: LiveMarkdown::new(container, labels),
            pending: String::new(),
            scheduled: false,
            render_ms: 0.0,
            longest_render_ms: 0.0,
            renders: 0,
            after_render: None,
        };
        FramedMarkdown { shared: std::rc::Rc::new(std::cell::RefCell::new(framed)) }
    }

    /// Calls `callback` after every render.
    pub fn on_render(&self, callback: impl Fn() + 'static) {
        if let Ok(mut framed) = self.shared.try_borrow_mut() {
            framed.after_render = Some(std::rc::Rc::new(callback));
        }
    }

    /// Queues a delta for the next frame.
    pub fn push(&self, delta: &str) {
        let schedule = {
            let Ok(mut framed) = self.shared.try_borrow_mut() else { return };
            framed.pending.push_str(delta);
            !std::mem::replace(&mut framed.scheduled, true)
        };
        if schedule && !self.schedule_frame() {
            self.flush();
        }
    }

    /// Renders what is queued now.
    pub fn flush(&self) {
        let after = {
            let Ok(mut framed) = self.shared.try_borrow_mut() else { return };
            framed.scheduled = false;
            if framed.pending.is_empty() {
                return;
            }
            let pending = std::mem::take(&mut framed.pending);
            let started = now();
            framed.live.push(&pending);
            framed.record(now() - started);
            framed.after_render.clone()
        };
        if let Some(after) = after {
            after();
        }
    }

    /// Ends the stream: what is queued is rendered and the tail finished.
    pub fn finish(&self) {
        self.flush();
        if let Ok(mut framed) = self.shared.try_borrow_mut() {
            let started = now();
            framed.live.finish();
            framed.record(now() - started);
        }
    }

    /// Replaces everything with the render of a whole answer, dropping what was queued.
    pub fn set_text(&self, whole: &str) {
        if let Ok(mut framed) = self.shared.try_borrow_mut() {
            framed.pending.clear();
            framed.live.set_text(whole);
        }
    }

    /// `(total render ms, longest render ms, renders)` so far.
    pub fn render_stats(&self) -> (f64, f64, u32) {
        self.shared.try_borrow().map_or((0.0, 0.0, 0), |f| (f.render_ms, f.longest_render_ms, f.renders))
    }

    /// Asks for a frame that flushes; false when there is no window to ask.
    fn schedule_frame(&self) -> bool {
        let Some(window) = web_sys::window() else { return false };
        let weak = std::rc::Rc::downgrade(&self.shared);
        let callback = Closure::once_into_js(move || {
            if let Some(shared) = weak.upgrade() {
                FramedMarkdown { shared }.flush();
            }
        });
        window.request_animation_frame(callback.unchecked_ref()).is_ok()
    }
}

impl Framed {
    fn record(&mut self, elapsed_ms: f64) {
        self.render_ms += elapsed_ms;
        self.longest_render_ms = self.longest_render_ms.max(elapsed_ms);
        self.renders += 1;
    }
}

/// The page's clock in milliseconds (0 where there is none).
fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}
