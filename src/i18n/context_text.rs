//! What the panel says about what the model saw, in English and Simplified Chinese: page coverage, the reading-in-parts progress, a prompt the server cut, and long chats trimmed.
//!
//! These strings carry numbers and names, so each is a function of the
//! [`Locale`] rather than a fixed [`super::UiText`].

use super::Locale;
use crate::context_fit::{Coverage, SectionRef};

/// Sections named in a coverage label before "and N more".
const SECTIONS_NAMED: usize = 3;

/// The page's coverage in a request, for the context chip: "whole page",
/// "38% of the page: sections A, B, C". Empty when no page was sent.
pub fn coverage_label(coverage: &Coverage, locale: Locale) -> String {
    match (coverage, locale) {
        (Coverage::NoPage, _) => String::new(),
        (Coverage::Whole, Locale::En) => "whole page".into(),
        (Coverage::Whole, Locale::ZhCn) => "整页".into(),
        (Coverage::Head { percent }, Locale::En) => format!("first {percent}% of the page"),
        (Coverage::Head { percent }, Locale::ZhCn) => format!("页面前 {percent}%"),
        (Coverage::Parts { parts }, Locale::En) => format!("whole page, read in {parts} parts"),
        (Coverage::Parts { parts }, Locale::ZhCn) => format!("整页，分 {parts} 部分读取"),
        (Coverage::Sections { percent, sections }, _) => {
            let named: Vec<String> = sections.iter().take(SECTIONS_NAMED).map(SectionRef::label).collect();
            let more = sections.len().saturating_sub(SECTIONS_NAMED);
            match locale {
                Locale::En => {
                    let noun = if sections.len() == 1 { "section" } else { "sections" };
                    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
                    format!("{percent}% of the page: {noun} {}{tail}", named.join(", "))
                }
                Locale::ZhCn => {
                    let tail = if more > 0 { format!(" 等 {} 个", sections.len()) } else { String::new() };
                    format!("页面的 {percent}%：章节 {}{tail}", named.join("、"))
                }
            }
        }
    }
}

/// The chip's line for a page not yet asked about: whether it fits one
/// request, and how a long one will be read.
pub fn fit_label(percent_fits: u32, parts: usize, locale: Locale) -> String {
    match (percent_fits >= 100, locale) {
        (true, Locale::En) => "whole page fits".into(),
        (true, Locale::ZhCn) => "整页可放入".into(),
        (false, Locale::En) => format!("{percent_fits}% fits one request; summaries read it in about {parts} parts"),
        (false, Locale::ZhCn) => format!("单次请求可放入 {percent_fits}%；摘要将分约 {parts} 部分读取"),
    }
}

/// The progress bar's words: "Reading part 3 of 12", or the notes being merged.
pub fn progress_label(done: usize, total: usize, combining: bool, locale: Locale) -> String {
    let current = (done + 1).min(total);
    match (combining, locale) {
        (false, Locale::En) => format!("Reading part {current} of {total}"),
        (false, Locale::ZhCn) => format!("正在读取第 {current} 部分，共 {total} 部分"),
        (true, Locale::En) => format!("Combining notes: {done} of {total} done"),
        (true, Locale::ZhCn) => format!("正在合并笔记：已完成 {done}/{total}"),
    }
}

/// The line under an answer written from part of the page or from notes.
pub fn answer_source_line(coverage: &Coverage, locale: Locale) -> Option<String> {
    match (coverage, locale) {
        (Coverage::Head { percent }, Locale::En) => Some(format!("Only the first {percent}% of the page was sent.")),
        (Coverage::Head { percent }, Locale::ZhCn) => Some(format!("只发送了页面的前 {percent}%。")),
        (Coverage::Parts { parts }, Locale::En) => {
            Some(format!("Written from notes on all {parts} parts of the page."))
        }
        (Coverage::Parts { parts }, Locale::ZhCn) => Some(format!("根据页面全部 {parts} 个部分的笔记写成。")),
        (Coverage::Sections { percent, .. }, Locale::En) => Some(format!("Sections used ({percent}% of the page):")),
        (Coverage::Sections { percent, .. }, Locale::ZhCn) => Some(format!("参考的章节（页面的 {percent}%）：")),
        _ => None,
    }
}

/// The button that shows the sections beyond the first few under an answer.
pub fn more_sections(hidden: usize, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{hidden} more"),
        Locale::ZhCn => format!("另外 {hidden} 个"),
    }
}

/// The warning under an answer whose prompt the server cut.
pub fn cut_prompt_warning(reported: u32, sent: u32, locale: Locale) -> String {
    match locale {
        Locale::En => format!(
            "The server read only {reported} of about {sent} prompt tokens: it cut the prompt, so the answer may \
             miss part of the page or the chat. Raise the model's context length on the server (Ollama: num_ctx), \
             or set a smaller context budget in Settings."
        ),
        Locale::ZhCn => format!(
            "服务器只读取了约 {sent} 个提示词 token 中的 {reported} 个：提示词被截断，回答可能遗漏部分页面或对话。\
             请在服务器上调大模型的上下文长度（Ollama：num_ctx），或在设置中调小上下文预算。"
        ),
    }
}

/// The divider above the oldest message still sent to the model.
pub fn trimmed_chat_divider(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Earlier messages are no longer sent to the model: they do not fit its context window.",
        Locale::ZhCn => "更早的消息已不再发送给模型：超出了它的上下文窗口。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(names: &[&str]) -> Vec<SectionRef> {
        names.iter().map(|name| SectionRef { heading_path: vec![name.to_string()], snippet: String::new() }).collect()
    }

    #[test]
    fn coverage_is_stated_in_both_languages() {
        let some = Coverage::Sections { percent: 38, sections: sections(&["Tides", "Moons"]) };
        assert_eq!(coverage_label(&some, Locale::En), "38% of the page: sections Tides, Moons");
        assert_eq!(coverage_label(&some, Locale::ZhCn), "页面的 38%：章节 Tides、Moons");
        let many = Coverage::Sections { percent: 12, sections: sections(&["A", "B", "C", "D", "E"]) };
        assert_eq!(coverage_label(&many, Locale::En), "12% of the page: sections A, B, C and 2 more");
        let one = Coverage::Sections { percent: 5, sections: sections(&["A"]) };
        assert_eq!(coverage_label(&one, Locale::En), "5% of the page: section A");
        assert_eq!(coverage_label(&Coverage::Whole, Locale::En), "whole page");
        assert_eq!(coverage_label(&Coverage::Parts { parts: 12 }, Locale::En), "whole page, read in 12 parts");
        assert_eq!(coverage_label(&Coverage::NoPage, Locale::En), "");
    }

    #[test]
    fn progress_counts_the_part_being_read() {
        assert_eq!(progress_label(2, 12, false, Locale::En), "Reading part 3 of 12");
        assert_eq!(progress_label(12, 12, false, Locale::En), "Reading part 12 of 12");
        assert_eq!(progress_label(2, 12, false, Locale::ZhCn), "正在读取第 3 部分，共 12 部分");
        assert_eq!(progress_label(1, 3, true, Locale::En), "Combining notes: 1 of 3 done");
    }

    #[test]
    fn the_cut_warning_names_the_numbers_and_the_fix() {
        let warning = cut_prompt_warning(2_048, 9_500, Locale::En);
        assert!(warning.contains("2048 of about 9500") && warning.contains("num_ctx"));
        assert!(cut_prompt_warning(2_048, 9_500, Locale::ZhCn).contains("num_ctx"));
    }
}
