//! Sending e-mail: the SMTP transport (`SMTP_URL`, through `lettre`) and the outbox worker that
//! hands it queued messages.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::services::{MailTransport, Services};
use crate::storage::{MessageContent, MessageRecord};

/// How often the worker looks for due messages when no request wakes it (retries fall due
/// without one).
const POLL: Duration = Duration::from_secs(5);

/// An SMTP server, from a URL such as `smtp://user:password@mail.example:587?tls=required`,
/// `smtps://mail.example` or `smtp://localhost:25` (lettre's URL format).
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    /// The transport of `url`. A URL with credentials must encrypt (`smtps://` or
    /// `?tls=required`) unless the server is on this machine: otherwise the password would
    /// cross the network in clear, or be downgraded by whoever strips STARTTLS.
    pub fn from_url(url: &str) -> Result<Self, String> {
        credentials_stay_encrypted(url)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("SMTP_URL: {error}"))?
            .timeout(Some(Duration::from_secs(60)))
            .build();
        Ok(Smtp { transport })
    }
}

fn credentials_stay_encrypted(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|error| format!("SMTP_URL: {error}"))?;
    if url.username().is_empty() && url.password().is_none() {
        return Ok(());
    }
    let encrypted = url.scheme() == "smtps"
        || url
            .query_pairs()
            .any(|(key, value)| key == "tls" && value == "required");
    let loopback = match url.host() {
        // `smtp://` is not a scheme the URL standard knows, so its IPv4 hosts stay text.
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|address| address.is_loopback())
        }
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    if encrypted || loopback {
        return Ok(());
    }
    Err(format!(
        "SMTP_URL: credentials for {} would be sent without TLS; use smtps:// or add \
         ?tls=required",
        url.host_str().unwrap_or_default()
    ))
}

/// The queued message as MIME: the text, and the PDF attached.
pub fn mime_message(message: &MessageContent) -> Result<Message, String> {
    let mailbox = |address: &str| {
        address
            .parse::<Mailbox>()
            .map_err(|error| format!("{address}: {error}"))
    };
    let mut builder = Message::builder()
        .from(mailbox(&message.sender)?)
        .subject(message.subject.clone());
    for address in &message.to {
        builder = builder.to(mailbox(address)?);
    }
    for address in &message.cc {
        builder = builder.cc(mailbox(address)?);
    }
    let pdf = ContentType::parse("application/pdf").map_err(|error| error.to_string())?;
    builder
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(message.body.clone()))
                .singlepart(
                    Attachment::new(message.attachment_name.clone())
                        .body(message.attachment.clone(), pdf),
                ),
        )
        .map_err(|error| error.to_string())
}

#[async_trait::async_trait]
impl MailTransport for Smtp {
    async fn send(&self, message: &MessageRecord) -> Result<(), String> {
        let mime = mime_message(&message.content)?;
        self.transport
            .send(mime)
            .await
            .map(drop)
            .map_err(|error| error.to_string())
    }
}

/// Sends queued messages until aborted: at once when a request queues one, else every few
/// seconds. Several servers may run it on one PostgreSQL: each message is claimed by one.
pub fn spawn_worker(
    services: Services,
    transport: Arc<dyn MailTransport>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match services.deliver_due(transport.as_ref()).await {
                // A full batch: more may be due.
                Ok(tried) if tried > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(
                    error = %error.to_string().escape_debug(),
                    "the outbox worker failed"
                ),
            }
            services.outbox_wait(POLL).await;
        }
    })
}
