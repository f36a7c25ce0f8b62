//! Notices: written to the in-app inbox when a round opens, a deadline is three days away,
//! scores are returned for explanation and appraisal finishes; e-mailed through SMTP when
//! `smtp_url` is configured (off by default).

use crate::AppState;
use crate::error::WebError;
use chiso_core::ids::UnitId;
use chiso_core::lang::Lang;
use chiso_core::round::phase::Phase;
use chiso_core::round::workflow::UnitState;
use chiso_store::rounds::RoundId;
use chrono::{NaiveDate, Utc};

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    RoundOpened,
    DeadlineSoon,
    ReturnedForExplanation,
    AppraisalFinished,
    TaskDueSoon,
    TaskOverdue,
    ReportDueSoon,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::RoundOpened,
        Kind::DeadlineSoon,
        Kind::ReturnedForExplanation,
        Kind::AppraisalFinished,
        Kind::TaskDueSoon,
        Kind::TaskOverdue,
        Kind::ReportDueSoon,
    ];

    /// The stable code stored with the notice.
    pub fn code(self) -> &'static str {
        match self {
            Kind::RoundOpened => "round_opened",
            Kind::DeadlineSoon => "deadline",
            Kind::ReturnedForExplanation => "explanation",
            Kind::AppraisalFinished => "final",
            Kind::TaskDueSoon => "task_due",
            Kind::TaskOverdue => "task_overdue",
            Kind::ReportDueSoon => "report_due",
        }
    }

    /// The notice's heading.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::RoundOpened, Lang::Vi) => "Đợt đánh giá đã mở, mời đơn vị tự đánh giá",
            (Kind::DeadlineSoon, Lang::Vi) => "Còn 3 ngày đến hạn",
            (Kind::ReturnedForExplanation, Lang::Vi) => {
                "Kết quả thẩm định lần 1: có nội dung đề nghị giải trình, bổ sung"
            }
            (Kind::AppraisalFinished, Lang::Vi) => "Đã chốt điểm thẩm định",
            (Kind::RoundOpened, Lang::En) => "A round opened: please self-assess",
            (Kind::DeadlineSoon, Lang::En) => "Due in 3 days",
            (Kind::ReturnedForExplanation, Lang::En) => {
                "Appraisal round 1: explanations or evidence requested"
            }
            (Kind::AppraisalFinished, Lang::En) => "Appraisal finished: scores are final",
            (Kind::TaskDueSoon, Lang::Vi) => "Nhiệm vụ kế hoạch còn 3 ngày đến hạn",
            (Kind::TaskOverdue, Lang::Vi) => "Nhiệm vụ kế hoạch đã quá hạn",
            (Kind::TaskDueSoon, Lang::En) => "A plan task is due in 3 days",
            (Kind::TaskOverdue, Lang::En) => "A plan task is overdue",
            (Kind::ReportDueSoon, Lang::Vi) => "Còn 3 ngày đến hạn gửi báo cáo định kỳ",
            (Kind::ReportDueSoon, Lang::En) => "A periodic report is due in 3 days",
        }
    }

    /// The heading of a stored code (unknown codes are shown as they are).
    pub fn label_of(code: &str, lang: Lang) -> String {
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .map(|k| k.label(lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }
}

/// Tells a unit's accounts about their assessment in a round. Called after the change it
/// reports has been committed, so a failure here is logged, never turned into an error page
/// for a change that was made.
pub async fn unit_event(state: &AppState, round: RoundId, unit: UnitId, kind: Kind) {
    let result = async {
        let r = state.store.round(round).await?;
        write_unit_notice(state, &r.name, round, unit, kind).await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(round = %round, unit = %unit, error = %e, "could not write a notice");
    }
}

async fn write_unit_notice(
    state: &AppState,
    round_name: &str,
    round: RoundId,
    unit: UnitId,
    kind: Kind,
) -> Result<(), chiso_store::StoreError> {
    let u = state.store.unit(unit).await?;
    let accounts = state.store.unit_account_ids(unit).await?;
    state
        .store
        .notify(
            &accounts,
            kind.code(),
            &format!("{round_name} · {}", u.name),
            &format!("/rounds/{round}/units/{unit}"),
            None,
            Utc::now(),
        )
        .await?;
    Ok(())
}

/// Tells every unit of a round that self-assessment is open (logged on failure, as above).
pub async fn round_opened(state: &AppState, round: RoundId) {
    let result = async {
        let r = state.store.round(round).await?;
        for ru in state.store.round_units(round).await? {
            write_unit_notice(state, &r.name, round, ru.unit, Kind::RoundOpened).await?;
        }
        Ok::<_, chiso_store::StoreError>(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(round = %round, error = %e, "could not write round-opened notices");
    }
}

/// Reminds units whose own deadline (submission, or explanation) is three days after `today`
/// and who have not acted yet. Each reminder is written once, whichever server runs this.
pub async fn remind_deadlines(state: &AppState, today: NaiveDate) -> Result<u64, WebError> {
    let mut written = 0;
    for r in state.store.list_rounds().await? {
        let waiting = match r.phase {
            Phase::SelfAssessment => UnitState::Drafting,
            Phase::Explanation => UnitState::Appraised1,
            _ => continue,
        };
        for ru in state.store.round_units(r.id).await? {
            let due = ru
                .extension_until
                .into_iter()
                .chain(r.schedule.due(r.phase))
                .max();
            if ru.state != waiting || due.map(|d| (d - today).num_days()) != Some(3) {
                continue;
            }
            let u = state.store.unit(ru.unit).await?;
            let accounts = state.store.unit_account_ids(ru.unit).await?;
            let key = format!(
                "deadline:{}:{}:{}:{}",
                r.id,
                r.phase.code(),
                ru.unit,
                due.map(|d| d.to_string()).unwrap_or_default()
            );
            written += state
                .store
                .notify(
                    &accounts,
                    Kind::DeadlineSoon.code(),
                    &format!(
                        "{} · {} · {}",
                        r.name,
                        u.name,
                        due.map(chiso_core::format::date).unwrap_or_default()
                    ),
                    &format!("/rounds/{}/units/{}", r.id, ru.unit),
                    Some(&key),
                    Utc::now(),
                )
                .await?;
        }
    }
    Ok(written)
}

/// Reminds the lead unit of each undone task of an issued plan three days before its deadline
/// (an approved extension counted) and once when it becomes overdue. Each reminder is written
/// once per account, whichever server runs this and however often.
pub async fn remind_tasks(state: &AppState, today: NaiveDate) -> Result<u64, WebError> {
    let mut written = 0;
    for plan in state.store.plans().await? {
        if plan.status != chiso_store::plans::PlanStatus::Issued {
            continue;
        }
        for t in &plan.tasks {
            let (Some(lead), None) = (t.task.lead_unit, t.done_on) else {
                continue;
            };
            let Some(due) = t.extension_until.or_else(|| t.task.deadline.last_day()) else {
                continue;
            };
            let kind = match (due - today).num_days() {
                3 => Kind::TaskDueSoon,
                d if d < 0 => Kind::TaskOverdue,
                _ => continue,
            };
            let accounts = state.store.unit_account_ids(lead).await?;
            let key = format!("{}:{}:{due}", kind.code(), t.id);
            let text: String = t.task.text.chars().take(120).collect();
            written += state
                .store
                .notify(
                    &accounts,
                    kind.code(),
                    &format!(
                        "{} · {text} · {}",
                        plan.meta.title,
                        chiso_core::format::date(due)
                    ),
                    &format!("/plans/{}/tasks/{}", plan.id.0, t.id),
                    Some(&key),
                    Utc::now(),
                )
                .await?;
        }
    }
    Ok(written)
}

/// Reminds the units that have not sent a periodic report three days before it is due, once.
pub async fn remind_reports(state: &AppState, today: NaiveDate) -> Result<u64, WebError> {
    use chrono::Datelike;
    let mut written = 0;
    let soon = today + chrono::Duration::days(3);
    let calendar = state.store.report_calendar(soon.year()).await?;
    let sent: std::collections::HashSet<(i64, UnitId)> = state
        .store
        .report_submissions(soon.year())
        .await?
        .into_iter()
        .map(|s| (s.entry, s.unit))
        .collect();
    for e in calendar.iter().filter(|e| e.due == soon) {
        let units = state
            .store
            .find_units(&chiso_store::units::UnitFilter {
                unit_type: Some(e.unit_type),
                active_on: Some(e.due),
                ..Default::default()
            })
            .await?;
        for u in units.iter().filter(|u| !sent.contains(&(e.id, u.id))) {
            let accounts = state.store.unit_account_ids(u.id).await?;
            written += state
                .store
                .notify(
                    &accounts,
                    Kind::ReportDueSoon.code(),
                    &format!("{} · {}", e.title, chiso_core::format::date(e.due)),
                    &format!("/reports?year={}", e.year),
                    Some(&format!("report_due:{}:{}", e.id, u.id)),
                    Utc::now(),
                )
                .await?;
        }
    }
    Ok(written)
}

/// The host and port of `smtp://host[:port]` (port 25 by default).
fn relay_address(url: &str) -> Option<(&str, u16)> {
    let rest = url.strip_prefix("smtp://")?.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) => Some((host, port.parse().ok()?)),
        None => Some((rest, 25)),
    }
    .filter(|(host, _)| !host.is_empty())
}

/// Sends notices not yet e-mailed, when SMTP is configured. Each notice is claimed before it is
/// sent, so that several servers never send it twice.
pub async fn send_emails(state: &AppState) -> Result<usize, WebError> {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let Some(url) = state.config.smtp_url.as_deref() else {
        return Ok(0);
    };
    let from =
        state.config.mail_from.parse().map_err(|e| {
            WebError::Internal(format!("mail_from {}: {e}", state.config.mail_from))
        })?;
    // A relay inside the province's network, without TLS (the relay handles delivery).
    let (host, port) = relay_address(url).ok_or_else(|| {
        WebError::Internal(format!("smtp_url {url}: expected smtp://host[:port]"))
    })?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .build();
    let base = state.config.base_url.clone().unwrap_or_default();
    let mut sent = 0;
    for p in state.store.pending_emails(100).await? {
        if !state.store.mark_emailed(p.id, Utc::now()).await? {
            continue;
        }
        let to = match format!("{} <{}>", p.name, p.to).parse() {
            Ok(to) => to,
            Err(e) => {
                tracing::warn!(notice = p.id, error = %e, "bad e-mail address; notice stays in the inbox");
                continue;
            }
        };
        let heading = Kind::label_of(&p.kind, Lang::Vi);
        let message = Message::builder()
            .from(Clone::clone(&from))
            .to(to)
            .subject(format!("[Chỉ số CCHC] {heading}"))
            .body(format!("{heading}\n{}\n\n{base}{}\n", p.subject, p.link))
            .map_err(|e| WebError::Internal(e.to_string()))?;
        match mailer.send(message).await {
            Ok(_) => sent += 1,
            Err(e) => {
                tracing::warn!(notice = p.id, error = %e, "e-mail not sent; notice stays in the inbox")
            }
        }
    }
    Ok(sent)
}

/// E-mails survey invitations, each with its own link; gives the respondents reached. Without
/// SMTP configured nothing is sent and the caller says so (the QR sheet and SMS file remain).
pub async fn send_invitations(
    state: &AppState,
    title: &str,
    people: &[(i64, String, String, String)],
) -> Result<Vec<i64>, String> {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let url = state
        .config
        .smtp_url
        .as_deref()
        .ok_or_else(|| "smtp_url".to_string())?;
    let from: lettre::message::Mailbox = state
        .config
        .mail_from
        .parse()
        .map_err(|e| format!("mail_from {}: {e}", state.config.mail_from))?;
    let (host, port) =
        relay_address(url).ok_or_else(|| format!("smtp_url {url}: expected smtp://host[:port]"))?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .build();
    let mut sent = Vec::new();
    for (id, name, email, link) in people {
        let Ok(address) = email.parse() else {
            tracing::warn!(respondent = id, "bad e-mail address; invitation not sent");
            continue;
        };
        let to = lettre::message::Mailbox::new((!name.is_empty()).then(|| name.clone()), address);
        let greeting = if name.is_empty() {
            "Kính gửi Ông/Bà,".to_string()
        } else {
            format!("Kính gửi Ông/Bà {name},")
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(format!("[Khảo sát] {title}"))
            .body(format!(
                "{greeting}\n\nKính mời Ông/Bà tham gia khảo sát \"{title}\" theo đường dẫn dưới đây (mỗi đường dẫn gửi phiếu một lần):\n\n{link}\n\nTrân trọng cảm ơn.\n"
            ));
        // One bad message does not stop the others, nor lose the marks of those sent.
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(respondent = id, error = %e, "invitation not built");
                continue;
            }
        };
        match mailer.send(message).await {
            Ok(_) => sent.push(*id),
            Err(e) => tracing::warn!(respondent = id, error = %e, "invitation not sent"),
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_addresses_are_read_from_smtp_urls() {
        assert_eq!(
            relay_address("smtp://relay.tinh.gov.vn"),
            Some(("relay.tinh.gov.vn", 25))
        );
        assert_eq!(
            relay_address("smtp://127.0.0.1:2525/"),
            Some(("127.0.0.1", 2525))
        );
        assert_eq!(relay_address("smtps://x:465"), None);
        assert_eq!(relay_address("smtp://:25"), None);
    }
}
