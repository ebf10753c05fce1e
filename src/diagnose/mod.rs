//! Diagnoses: *why* a delivery failed and *who* must act — a step past counting codes.
//!
//! A failed outcome (a 4xx or 5xx reply, or a deferral that carries no reply at all, such
//! as `connect to …: Connection timed out`) is classified into one [`Diagnosis`] from its
//! basic code, enhanced code, reply text and relay host, by an ordered table of rules
//! ([`Rules`]). The rules are data: the built-in table lives in `rules.tsv` next to this
//! file, in the same line format as a user rule file (see [`rules`]), and the patterns of all
//! rules are matched in one pass by one pattern set compiled once (see [`rules`]).
//!
//! **Cost.** The rule set runs over the reply text once per call, about a microsecond for a
//! reply of 150 bytes. Callers classify failures only (a 4xx, a 5xx, or a deferral or bounce
//! without a code), never successful deliveries, so the hot path of a scan — which is mostly
//! `status=sent` — never touches a regex; and a scan asks a per-thread [`Memo`], which
//! matches each distinct reply once.
//!
//! **Provider.** [`provider()`] names the mailbox provider behind a relay host (`google`,
//! `microsoft`, `yahoo`, …, else the relay's registered domain); provider-specific rules
//! use it, and reports group by it.
//!
//! **Persistent mailbox failures.** [`is_mailbox_deferral`] is the rule the persistent
//! tracker counts attempts by: a 4xx that says the *mailbox* is unavailable, either any 4xx
//! whose enhanced code is `4.2.x` (mailbox status: Gmail's `452 4.2.2 … over quota`), or a
//! `450` (RFC 5321's "mailbox unavailable") unless its reply was diagnosed as a problem of
//! the sender or of the network (blocklisted, reputation, rate limits, authentication, spam
//! content, relay denied, TLS, DNS, connection, local: `450 4.1.8 Sender address rejected:
//! Domain not found` is about us); never greylisting, and never a `4.7.x` (security or
//! policy: the receiver refuses *us*, not the mailbox).

mod literals;
pub mod memo;
pub mod provider;
pub mod rules;

pub use memo::Memo;
pub use provider::provider;
pub use rules::{Origin, RuleError, Rules, Verdict};

use crate::parse::Enhanced;

/// Why a delivery failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Diagnosis {
    Greylisted,
    MailboxFull,
    MailboxDisabled,
    UserUnknown,
    RateLimited,
    Blocklisted,
    Reputation,
    SpamContent,
    Authentication,
    Tls,
    Dns,
    Connection,
    RelayDenied,
    Policy,
    MessageTooLarge,
    Protocol,
    Local,
    Other,
}

/// Who has to do something about a diagnosis. The texts are written from the sending side
/// (our server delivering); for rejections by our own server the roles swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Actor {
    /// Nobody: retries get past it.
    Nobody,
    /// Our side: the postmaster or the sender of the message.
    Us,
    /// The owner of the recipient mailbox.
    Recipient,
    /// The postmaster of the receiving server.
    RemotePostmaster,
}

impl Actor {
    /// `nobody`, `us`, `recipient`, `remote_postmaster`.
    pub fn label(self) -> &'static str {
        match self {
            Actor::Nobody => "nobody",
            Actor::Us => "us",
            Actor::Recipient => "recipient",
            Actor::RemotePostmaster => "remote_postmaster",
        }
    }
}

/// The texts of one diagnosis.
struct Texts {
    name: &'static str,
    title: &'static str,
    actor: Actor,
    fix: &'static str,
    title_vi: &'static str,
    fix_vi: &'static str,
}

/// One row per diagnosis, in the order of [`Diagnosis::ALL`].
const TEXTS: [Texts; 18] = [
    Texts {
        name: "greylisted",
        title: "Greylisted: the receiver asks an unknown sender to come back later",
        actor: Actor::Nobody,
        fix: "Nothing to do: our server retries and a later attempt passes, usually within minutes to an hour. Only if it keeps failing for hours: check that retries leave from the same IP address and sender (a pool of outgoing addresses starts greylisting over).",
        title_vi: "Greylisting: máy nhận yêu cầu người gửi lạ thử lại sau",
        fix_vi: "Không cần làm gì: máy chủ của ta tự gửi lại và lần sau sẽ qua, thường trong vài phút đến một giờ. Chỉ khi lỗi kéo dài nhiều giờ: kiểm tra rằng các lần gửi lại đi từ cùng một địa chỉ IP và cùng người gửi.",
    },
    Texts {
        name: "mailbox_full",
        title: "Recipient's mailbox is full",
        actor: Actor::Recipient,
        fix: "The recipient must free space or get a larger quota; our server keeps retrying a 4xx until the queue lifetime ends. If the mail matters, tell the recipient by another channel. Repeated for weeks, treat the address as abandoned.",
        title_vi: "Hộp thư người nhận đã đầy",
        fix_vi: "Người nhận phải dọn bớt thư hoặc xin thêm dung lượng; máy chủ của ta vẫn thử lại khi nhận 4xx cho đến hết thời hạn hàng đợi. Nếu thư quan trọng, hãy báo cho người nhận qua kênh khác. Nếu kéo dài nhiều tuần, coi như địa chỉ đã bỏ.",
    },
    Texts {
        name: "mailbox_disabled",
        title: "Recipient's mailbox is disabled, suspended or inactive",
        actor: Actor::Us,
        fix: "The address exists but no longer takes mail (closed, suspended or abandoned account). Remove or suppress it in our lists and contact the person another way; only the recipient can reactivate it.",
        title_vi: "Hộp thư người nhận bị vô hiệu hóa, tạm khóa hoặc không còn hoạt động",
        fix_vi: "Địa chỉ còn tồn tại nhưng không nhận thư nữa (tài khoản bị đóng, khóa hoặc bỏ không dùng). Hãy xóa hoặc tạm ngưng địa chỉ này trong danh sách của ta và liên hệ người nhận bằng cách khác; chỉ người nhận mới kích hoạt lại được.",
    },
    Texts {
        name: "user_unknown",
        title: "Recipient address does not exist",
        actor: Actor::Us,
        fix: "The receiving domain has no such mailbox. Check the address for typos and remove it from lists: repeated mail to unknown users hurts our reputation. Only the sender of the message can correct the address.",
        title_vi: "Địa chỉ người nhận không tồn tại",
        fix_vi: "Tên miền nhận không có hộp thư này. Kiểm tra lỗi gõ địa chỉ và xóa nó khỏi danh sách: gửi nhiều thư đến người dùng không tồn tại làm giảm uy tín của ta. Chỉ người gửi thư mới sửa được địa chỉ.",
    },
    Texts {
        name: "rate_limited",
        title: "Rate limited: too much mail, too fast, or too many connections from us",
        actor: Actor::Us,
        fix: "The receiver is throttling us. Lower the concurrency and rate towards that provider (Postfix: a transport with a smaller destination concurrency and a rate delay; Exim: smtp connection and message limits), spread bulk sends over time; deferred mail is retried.",
        title_vi: "Bị giới hạn tốc độ: ta gửi quá nhiều, quá nhanh hoặc mở quá nhiều kết nối",
        fix_vi: "Máy nhận đang hạn chế ta. Giảm số kết nối đồng thời và tốc độ gửi tới nhà cung cấp đó (Postfix: transport riêng với destination concurrency nhỏ và rate delay; Exim: giới hạn kết nối và số thư của smtp), rải thư hàng loạt theo thời gian; thư bị hoãn sẽ được gửi lại.",
    },
    Texts {
        name: "blocklisted",
        title: "Our IP address or domain is on a block list",
        actor: Actor::Us,
        fix: "The reply names the list (Spamhaus, Barracuda, SpamCop, or the provider's own, such as Microsoft's S3150). Find out why we were listed (compromised account, open relay, spam, a shared or dynamic IP), fix the cause, then request delisting on that list's site.",
        title_vi: "Địa chỉ IP hoặc tên miền của ta nằm trong danh sách chặn",
        fix_vi: "Câu trả lời nêu tên danh sách (Spamhaus, Barracuda, SpamCop, hoặc danh sách riêng của nhà cung cấp như S3150 của Microsoft). Tìm nguyên nhân (tài khoản bị chiếm, open relay, spam, IP dùng chung hoặc động), khắc phục, rồi xin gỡ tên trên trang của danh sách đó.",
    },
    Texts {
        name: "reputation",
        title: "The receiver distrusts mail from our IP address or domain",
        actor: Actor::Us,
        fix: "Poor sending reputation: user complaints, unknown addresses, sudden volume, or a new IP address without history. Authenticate (SPF, DKIM, DMARC), send only wanted mail, remove bouncing addresses, warm up new IPs slowly, and watch the provider's postmaster tools.",
        title_vi: "Máy nhận không tin thư từ IP hoặc tên miền của ta",
        fix_vi: "Uy tín gửi thư kém: bị người dùng báo spam, gửi tới nhiều địa chỉ không tồn tại, khối lượng tăng đột ngột, hoặc IP mới chưa có lịch sử. Xác thực (SPF, DKIM, DMARC), chỉ gửi thư người nhận muốn, xóa các địa chỉ bị trả về, tăng dần lưu lượng cho IP mới và theo dõi công cụ postmaster của nhà cung cấp.",
    },
    Texts {
        name: "spam_content",
        title: "Message rejected as spam, malware or forbidden content",
        actor: Actor::Us,
        fix: "The receiver's filter judged this message itself. Check its links, attachments and wording, and that the sending account is not compromised; pass the full reply on to the sender of the message.",
        title_vi: "Thư bị từ chối vì bị coi là spam, mã độc hoặc nội dung bị cấm",
        fix_vi: "Bộ lọc của máy nhận đánh giá chính nội dung thư này. Kiểm tra liên kết, tệp đính kèm và lời văn, xem tài khoản gửi có bị chiếm không; chuyển nguyên văn câu trả lời cho người gửi thư.",
    },
    Texts {
        name: "authentication",
        title: "Sender authentication failed (SPF, DKIM, DMARC, ARC or SMTP AUTH)",
        actor: Actor::Us,
        fix: "Publish an SPF record that includes every server we send from, sign with DKIM, and align the From: domain with them for DMARC. When the reply is about SMTP AUTH to a relay host, fix our login credentials.",
        title_vi: "Xác thực người gửi thất bại (SPF, DKIM, DMARC, ARC hoặc SMTP AUTH)",
        fix_vi: "Công bố bản ghi SPF gồm mọi máy chủ ta gửi thư từ đó, ký DKIM, và để tên miền From: khớp với chúng cho DMARC. Nếu câu trả lời nói về SMTP AUTH tới máy chủ chuyển tiếp, hãy sửa thông tin đăng nhập của ta.",
    },
    Texts {
        name: "tls",
        title: "TLS (encryption) failed or was required",
        actor: Actor::RemotePostmaster,
        fix: "The TLS handshake or certificate check failed (expired or mismatched certificate, DANE or MTA-STS mismatch, old protocol), or the receiver requires TLS we did not offer. A broken certificate is for the remote postmaster to fix; missing TLS or a too strict policy on our side is ours.",
        title_vi: "Mã hóa TLS thất bại hoặc bị yêu cầu",
        fix_vi: "Bắt tay TLS hoặc kiểm tra chứng chỉ thất bại (chứng chỉ hết hạn hoặc sai tên, DANE hoặc MTA-STS không khớp, giao thức cũ), hoặc máy nhận đòi TLS mà ta không dùng. Chứng chỉ hỏng là việc của quản trị máy nhận; thiếu TLS hoặc chính sách quá chặt phía ta là việc của ta.",
    },
    Texts {
        name: "dns",
        title: "A DNS lookup failed or found no mail service",
        actor: Actor::Us,
        fix: "The recipient's domain does not exist or has no mail servers (a typo, an expired domain, a null MX), its DNS is broken, or the reply is about our own DNS (no reverse DNS for our IP, a sender domain that does not resolve). Check the address first; fix our PTR and sender domain records if the reply names them.",
        title_vi: "Tra cứu DNS thất bại hoặc không có dịch vụ thư",
        fix_vi: "Tên miền người nhận không tồn tại hoặc không có máy chủ thư (gõ sai, tên miền hết hạn, null MX), DNS của họ hỏng, hoặc câu trả lời nói về DNS của ta (IP của ta thiếu DNS ngược, tên miền người gửi không phân giải được). Kiểm tra địa chỉ trước; sửa PTR và bản ghi tên miền gửi của ta nếu câu trả lời nêu chúng.",
    },
    Texts {
        name: "connection",
        title: "Could not talk to the receiving server (timeout, refused, unreachable, lost)",
        actor: Actor::RemotePostmaster,
        fix: "Usually the receiving server is down, overloaded or filters us at the network level; our server retries. If it happens for many destinations at once, check our own network, firewall and outgoing port 25.",
        title_vi: "Không liên lạc được với máy chủ nhận (quá giờ, bị từ chối, không tới được, mất kết nối)",
        fix_vi: "Thường do máy chủ nhận bị sập, quá tải hoặc chặn ta ở tầng mạng; máy chủ của ta sẽ thử lại. Nếu xảy ra với nhiều nơi nhận cùng lúc, hãy kiểm tra mạng, tường lửa và cổng 25 đi ra của ta.",
    },
    Texts {
        name: "relay_denied",
        title: "Relaying denied: the server is not the destination for this recipient",
        actor: Actor::Us,
        fix: "The server we talked to does not accept mail for this domain from us. Check our routing (MX records, transport maps, relay host) and that we authenticate to our relay host. When our own server denies relaying to a client, that is usually as intended.",
        title_vi: "Từ chối chuyển tiếp: máy chủ không phải nơi nhận của địa chỉ này",
        fix_vi: "Máy chủ ta đã kết nối không nhận thư của tên miền này từ ta. Kiểm tra định tuyến của ta (bản ghi MX, transport map, relay host) và việc xác thực với relay host. Khi chính máy chủ của ta từ chối chuyển tiếp cho một máy khách, thường đó là đúng ý.",
    },
    Texts {
        name: "policy",
        title: "Refused by the receiver's local policy",
        actor: Actor::RemotePostmaster,
        fix: "An access rule of the receiver refused the mail (sender or recipient restrictions, allow lists, country or network rules). Read the reply text; if the mail is legitimate, ask the remote postmaster to allow it.",
        title_vi: "Bị từ chối theo chính sách riêng của máy nhận",
        fix_vi: "Một quy tắc truy cập của máy nhận đã từ chối thư (giới hạn người gửi hoặc người nhận, danh sách cho phép, quy tắc theo quốc gia hay mạng). Đọc nội dung câu trả lời; nếu thư hợp lệ, hãy nhờ quản trị máy nhận cho phép.",
    },
    Texts {
        name: "message_too_large",
        title: "Message is larger than the receiver accepts",
        actor: Actor::Us,
        fix: "Send a smaller message: shrink the attachments or share them as links. For our own rejections, compare with our size limit (Postfix message_size_limit, Exim message_size_limit).",
        title_vi: "Thư lớn hơn mức máy nhận chấp nhận",
        fix_vi: "Gửi thư nhỏ hơn: nén tệp đính kèm hoặc chia sẻ bằng liên kết. Với thư bị chính máy chủ của ta từ chối, so với giới hạn kích thước của ta (message_size_limit của Postfix hoặc Exim).",
    },
    Texts {
        name: "protocol",
        title: "SMTP or message format error (syntax, HELO, pipelining, malformed headers)",
        actor: Actor::Us,
        fix: "The SMTP dialogue or the message broke the standards: a bad HELO name, a command out of sequence, bare line feeds, malformed or duplicate headers. Fix the sending software (ours, or the client's for our own rejections).",
        title_vi: "Lỗi giao thức SMTP hoặc định dạng thư (cú pháp, HELO, pipelining, tiêu đề sai)",
        fix_vi: "Phiên SMTP hoặc bản thân thư vi phạm chuẩn: tên HELO sai, lệnh sai thứ tự, ký tự xuống dòng trần, tiêu đề sai hoặc trùng lặp. Sửa phần mềm gửi (của ta, hoặc của máy khách nếu chính ta từ chối).",
    },
    Texts {
        name: "local",
        title: "No SMTP exchange happened: our own server held the mail",
        actor: Actor::Us,
        fix: "Our MTA did not try this time: a retry timer had not expired, the domain is queue-only, delivery to the destination is suspended after earlier failures, or a local delivery program failed. Look at the earlier failure for the same destination; if it persists, check our configuration.",
        title_vi: "Không có phiên SMTP nào: chính máy chủ của ta giữ thư lại",
        fix_vi: "Lần này MTA của ta không thử gửi: chưa tới giờ thử lại, tên miền chỉ được xếp hàng, việc gửi tới nơi nhận bị tạm ngưng sau các lỗi trước, hoặc chương trình phát thư cục bộ bị lỗi. Xem lỗi trước đó với cùng nơi nhận; nếu kéo dài, kiểm tra cấu hình của ta.",
    },
    Texts {
        name: "other",
        title: "Not classified",
        actor: Actor::Us,
        fix: "No rule recognised this reply: read the reply text and the code's meaning (mailcodes explain). If it recurs, add a line to a rule file (--rules) so that it is classified next time.",
        title_vi: "Chưa phân loại",
        fix_vi: "Không có quy tắc nào nhận ra câu trả lời này: đọc nội dung câu trả lời và ý nghĩa của mã (mailcodes explain). Nếu lặp lại, thêm một dòng vào tệp quy tắc (--rules) để lần sau được phân loại.",
    },
];

impl Diagnosis {
    /// All diagnoses, in report order.
    pub const ALL: [Diagnosis; 18] = [
        Diagnosis::Greylisted,
        Diagnosis::MailboxFull,
        Diagnosis::MailboxDisabled,
        Diagnosis::UserUnknown,
        Diagnosis::RateLimited,
        Diagnosis::Blocklisted,
        Diagnosis::Reputation,
        Diagnosis::SpamContent,
        Diagnosis::Authentication,
        Diagnosis::Tls,
        Diagnosis::Dns,
        Diagnosis::Connection,
        Diagnosis::RelayDenied,
        Diagnosis::Policy,
        Diagnosis::MessageTooLarge,
        Diagnosis::Protocol,
        Diagnosis::Local,
        Diagnosis::Other,
    ];

    fn texts(self) -> &'static Texts {
        &TEXTS[self as usize]
    }

    /// The snake_case name: `greylisted`, `mailbox_full`, …
    pub fn name(self) -> &'static str {
        self.texts().name
    }

    /// The diagnosis of a snake_case name.
    pub fn from_name(name: &str) -> Option<Diagnosis> {
        Diagnosis::ALL.into_iter().find(|d| d.name() == name)
    }

    /// A one-line human title.
    pub fn title(self) -> &'static str {
        self.texts().title
    }

    /// Who must act.
    pub fn actor(self) -> Actor {
        self.texts().actor
    }

    /// What to do, and by whom, in a few sentences.
    pub fn fix(self) -> &'static str {
        self.texts().fix
    }

    /// The title in Vietnamese.
    pub fn title_vi(self) -> &'static str {
        self.texts().title_vi
    }

    /// The fix in Vietnamese.
    pub fn fix_vi(self) -> &'static str {
        self.texts().fix_vi
    }

    /// Index into per-diagnosis counters, in the order of [`Diagnosis::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a failure counts as a persistent-mailbox attempt (see the module docs): a 4xx
/// with a `4.2.x` enhanced code, or a `450` not diagnosed as a problem of the sender or the
/// network; never greylisting, never `4.7.x`.
pub fn is_mailbox_deferral(
    code: Option<u16>,
    enhanced: Option<Enhanced>,
    diagnosis: Diagnosis,
) -> bool {
    use Diagnosis::*;
    let transient = match code {
        Some(c) => c / 100 == 4,
        None => enhanced.is_some_and(|e| e.class == 4),
    };
    if !transient || diagnosis == Greylisted || enhanced.is_some_and(|e| e.subject == 7) {
        return false;
    }
    if enhanced.is_some_and(|e| e.subject == 2) {
        return true;
    }
    let about_us_or_the_network = matches!(
        diagnosis,
        Blocklisted
            | Reputation
            | RateLimited
            | Authentication
            | SpamContent
            | RelayDenied
            | Tls
            | Dns
            | Connection
            | Local
    );
    code == Some(450) && !about_us_or_the_network
}

/// The rules of this run: installed once by the command (built-in rules, after a user rule
/// file when one is given), else the built-in rules.
static ACTIVE: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();

/// Makes `rules` the rules every scan of this process classifies with. Only the first call
/// takes effect; it returns `false` when rules were already in use.
pub fn install(rules: Rules) -> bool {
    ACTIVE.set(rules).is_ok()
}

/// The rules in use: those installed, else the built-in ones.
pub fn active() -> &'static Rules {
    ACTIVE.get_or_init(Rules::builtin)
}

/// Builds the rules a scan will use before it starts, when none are installed: on a
/// worker of a rayon pool with nothing else to do (a scan's pool before it hands out its
/// chunks), with both engines built at once. See [`Rules::build_builtin`].
pub fn prepare() {
    if ACTIVE.get().is_none() {
        Rules::build_builtin();
        active();
    }
}

/// How much of a reply the rules read: its first 4 KiB. SMTP limits a reply line to 512
/// bytes (RFC 5321, 4.5.3.1.5), so a longer text is several lines joined, whose first ones say
/// what the reply is, or junk that anyone can send. Matching every byte of replies hundreds of
/// kilobytes long (each a new text to the memo) took 77 % of a scan of a log of them.
pub const READ_BYTES: usize = 4096;

/// What the rules read of `text`, the text of a reply with basic code `code`: its first
/// [`READ_BYTES`], with every mail address masked (see [`mask_addresses`]), and, in a text
/// without a code (the MTA's own words, not a remote server's), every host it names (see
/// [`mask_hosts`]). A scan and [`Rules::verdict`] (for `explain`) both read this.
pub fn text_to_classify<'a>(
    code: Option<u16>,
    text: &'a [u8],
    scratch: &'a mut Vec<u8>,
) -> &'a [u8] {
    let text = &text[..text.len().min(READ_BYTES)];
    if code.is_some() || !names_a_host(text) {
        return mask_addresses(text, scratch);
    }
    if memchr::memchr(b'@', text).is_some() {
        mask_addresses(text, scratch);
    } else {
        scratch.clear();
        scratch.extend_from_slice(text);
    }
    mask_hosts(scratch);
    scratch
}

/// Whether `text` names a host the way [`mask_hosts`] masks.
fn names_a_host(text: &[u8]) -> bool {
    let bracketed = memchr::memchr(b']', text).is_some()
        && memchr::memchr_iter(b'[', text).any(|at| host_before(text, at).is_some());
    bracketed || find_name_type(text, 0).is_some()
}

/// Masks, in place, the hosts an MTA names in its own texts, each to `[]`: Postfix's
/// `mx.example.org[192.0.2.1]` (`connect to …: Connection timed out`, `lost connection
/// with …`, `conversation with … timed out`), Exim's `H=mx.example.org [192.0.2.1]` (`defer
/// (110): Connection timed out H=…`), and the domain of Postfix's `Name service error for
/// name=example.org type=MX` (to `name= type=`). The rules are about what happened, not to
/// whom: a host name is made of words the rules look for (`mx.spamexperts.com`,
/// `d123.ess.barracudanetworks.com`, `ssl0.ovh.net`), which made a connection time-out to
/// such a server `spam_content`, `blocklisted` or `tls`; and the memo of diagnoses met a
/// new text for every host. Only for the MTA's own texts ([`text_to_classify`]): a remote
/// server's reply may write the same way (Microsoft's `banned sender[192.0.2.1]`), and there
/// the words are the reply's.
fn mask_hosts(text: &mut Vec<u8>) {
    let (mut written, mut copied, mut from) = (0, 0, 0);
    // Everything from `from` on is as it was (the masked text is written behind it), so
    // the next `name=` found stays where it is until it is passed: each byte is searched
    // once, however many hosts a text names (log text is anyone's to write).
    let mut name = find_name_type(text, 0);
    while let Some((start, end, keep)) = next_host(text, from, &mut name) {
        text.copy_within(copied..start, written);
        written += start - copied;
        text[written..written + keep.len()].copy_from_slice(keep);
        written += keep.len();
        copied = end;
        from = end;
    }
    let len = text.len();
    text.copy_within(copied..len, written);
    text.truncate(written + len - copied);
}

/// The next host in `text[from..]` that [`mask_hosts`] masks: where it starts and ends, and
/// what it becomes (never longer than what it replaces). `name` is the next `name=` found
/// (searched for again once passed).
fn next_host(
    text: &[u8],
    from: usize,
    name: &mut Option<(usize, usize)>,
) -> Option<(usize, usize, &'static [u8])> {
    let bracket = memchr::memchr_iter(b'[', &text[from..])
        .map(|n| from + n)
        .find_map(|at| host_before(text, at).filter(|(start, _)| *start >= from));
    if name.is_some_and(|(start, _)| start < from) {
        *name = find_name_type(text, from);
    }
    match (bracket, *name) {
        (Some((b0, b1)), Some((n0, _))) if b0 <= n0 => Some((b0, b1, b"[]")),
        (_, Some((n0, n1))) => Some((n0, n1, b"name=")),
        (Some((b0, b1)), None) => Some((b0, b1, b"[]")),
        (None, None) => None,
    }
}

/// For the `[` at `text[at]`: when an address in brackets starts there and a host name
/// stands right before it (`name[addr]`, or `name [addr]` for a name with a dot), where the
/// name starts and the `]` ends.
fn host_before(text: &[u8], at: usize) -> Option<(usize, usize)> {
    // The `]` is looked for no further than the longest address: a text of many `[`
    // without one is then read in linear time.
    let window = text.get(at + 1..)?;
    let window = &window[..window.len().min(ADDRESS_MAX + 1)];
    let close = at + 1 + memchr::memchr(b']', window)?;
    if !is_address(&text[at + 1..close]) {
        return None;
    }
    let spaced = at >= 1 && text[at - 1] == b' ';
    let name_end = if spaced { at - 1 } else { at };
    let name_start = text[..name_end]
        .iter()
        .rposition(|b| !is_host_byte(*b))
        .map_or(0, |p| p + 1);
    let name = &text[name_start..name_end];
    let named = !name.is_empty() && (!spaced || name.contains(&b'.'));
    named.then_some((name_start, close + 1))
}

/// Postfix's ` name=DOMAIN type=` (a DNS lookup's error) in `text[from..]`: where `name=`
/// starts and the domain ends.
fn find_name_type(text: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(n) = crate::parse::find::find_by_last(&text[at..], b" name=") {
        let start = at + n + 1;
        let value = start + 5;
        let end = value + memchr::memchr(b' ', &text[value..])?;
        if end > value && text[end..].starts_with(b" type=") {
            return Some((start, end));
        }
        at = value;
    }
    None
}

/// The longest address in brackets that [`is_address`] takes: `IPv6:` and 45 characters
/// (an IPv6 address with an IPv4 tail).
const ADDRESS_MAX: usize = 5 + 45;

/// An IPv4 or IPv6 address as MTAs write it in brackets (`192.0.2.1`, `2001:db8::1`,
/// `IPv6:2001:db8::1`).
fn is_address(s: &[u8]) -> bool {
    let s = s.strip_prefix(b"IPv6:").unwrap_or(s);
    !s.is_empty()
        && s.len() <= ADDRESS_MAX - 5
        && s.iter().any(u8::is_ascii_digit)
        && s.iter()
            .all(|b| b.is_ascii_hexdigit() || *b == b'.' || *b == b':')
}

/// A byte of a host name.
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

/// `text` with every mail address masked (`<a@b.example>` → `<@>`, a bare `a@b.example` →
/// `@`): what a reply says does not depend on whom it is about, so the diagnosis is taken
/// from the masked text (by a scan, and by [`Rules::verdict`] for `explain`, so the two
/// agree), and the memo of diagnoses meets the same reply again for every recipient instead
/// of once per address. Borrows `text` when it holds no `@`; masking twice changes nothing.
pub fn mask_addresses<'a>(text: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    // A word is a run of bytes between edges; each word with an `@` becomes one `@`. The
    // `@`s are found with memchr and their words measured from there, and what lies between
    // them is copied whole (looking at every word was 4 % of a scan of a deferral-heavy log).
    let Some(first) = memchr::memchr(b'@', text) else {
        return text;
    };
    scratch.clear();
    let mut copied = 0;
    let mut at = first;
    loop {
        let start = text[..at]
            .iter()
            .rposition(|b| is_edge(*b))
            .map_or(0, |p| p + 1);
        let end = text[at..]
            .iter()
            .position(|b| is_edge(*b))
            .map_or(text.len(), |n| at + n);
        scratch.extend_from_slice(&text[copied..start]);
        scratch.push(b'@');
        copied = end;
        match memchr::memchr(b'@', &text[end..]) {
            Some(n) => at = end + n,
            None => break,
        }
    }
    scratch.extend_from_slice(&text[copied..]);
    scratch
}

/// The bytes that end a word of a reply for [`mask_addresses`].
fn is_edge(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'<' | b'>' | b'(' | b')' | b',' | b';' | b'"' | b'\'' | b'[' | b']'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word (run of non-edge bytes) with an `@` made one `@`, a word at a time: what
    /// [`mask_addresses`] must give.
    fn masked_word_by_word(text: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, word) in text.split(|b| is_edge(*b)).enumerate() {
            if i > 0 {
                // The edge byte that ended the word before this one.
                let before: usize = text
                    .split(|b| is_edge(*b))
                    .take(i)
                    .map(|w| w.len() + 1)
                    .sum();
                out.push(text[before - 1]);
            }
            match word.contains(&b'@') {
                true => out.push(b'@'),
                false => out.extend_from_slice(word),
            }
        }
        out
    }

    #[test]
    fn the_rules_read_the_first_4_kib_of_a_reply() {
        let rules = Rules::builtin();
        let padding = " the mailbox is over its storage quota;".repeat(30_000 / 39);
        // A long reply is classified by its start, as its first 4 KiB alone would be.
        let long = format!("452 4.2.2 <bob@example.org>: Mailbox full:{padding}");
        let start = &long.as_bytes()[..READ_BYTES];
        let verdict = rules.verdict(Some(452), None, long.as_bytes(), b"mx.example.org");
        assert_eq!(verdict.diagnosis, Diagnosis::MailboxFull);
        assert_eq!(
            verdict,
            rules.verdict(Some(452), None, start, b"mx.example.org")
        );
        // Words past the first 4 KiB are not read: here they would make it a block list.
        let late = format!(
            "550 {} blocked using zen.spamhaus.org",
            "x".repeat(READ_BYTES)
        );
        let early = format!(
            "550 blocked using zen.spamhaus.org {}",
            "x".repeat(READ_BYTES)
        );
        let d = |text: &str| {
            rules
                .verdict(Some(550), None, text.as_bytes(), b"")
                .diagnosis
        };
        assert_eq!(d(&early), Diagnosis::Blocklisted);
        assert_ne!(d(&late), Diagnosis::Blocklisted);
        // The scan reads the same part.
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(
            text_to_classify(Some(452), long.as_bytes(), &mut a),
            mask_addresses(start, &mut b)
        );
    }

    /// `count` texts of bytes of `alphabet`, the `n`th `n % max_len` long, from a xorshift
    /// generator seeded with `seed`: the same texts on every run.
    pub(super) fn random_texts(
        alphabet: &'static [u8],
        mut seed: u64,
        count: usize,
        max_len: usize,
    ) -> impl Iterator<Item = Vec<u8>> {
        (0..count).map(move |n| {
            (0..n % max_len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect()
        })
    }

    #[test]
    fn masking_is_the_same_as_word_by_word() {
        let mut buf = Vec::new();
        for text in random_texts(b"a@b <>(),;\"'[]x.", 0x2545_f491_4f6c_dd1d, 3000, 40) {
            let want = masked_word_by_word(&text);
            assert_eq!(
                mask_addresses(&text, &mut buf),
                &want[..],
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn addresses_are_masked_and_the_rest_kept() {
        let mut buf = Vec::new();
        for (text, want) in [
            (
                "452 4.2.2 <Bob@x.org>: Mailbox full",
                "452 4.2.2 <@>: Mailbox full",
            ),
            (
                "550 5.1.1 a@b.c... User unknown",
                "550 5.1.1 @ User unknown",
            ),
            ("no address here", "no address here"),
            ("(to=<a@b>, from=<>)", "(to=<@>, from=<>)"),
        ] {
            assert_eq!(
                mask_addresses(text.as_bytes(), &mut buf),
                want.as_bytes(),
                "{text}"
            );
            // Masked twice (a scan masks before the memo, `Rules::verdict` again): the same.
            let mut again = Vec::new();
            assert_eq!(mask_addresses(want.as_bytes(), &mut again), want.as_bytes());
        }
    }

    fn hosts_masked(text: &str) -> String {
        let mut buf = text.as_bytes().to_vec();
        mask_hosts(&mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn hosts_named_by_the_mta_are_masked() {
        for (text, want) in [
            (
                "connect to mx.spamexperts.com[185.201.16.1]:25: Connection timed out",
                "connect to []:25: Connection timed out",
            ),
            (
                "delivery temporarily suspended: lost connection with a.b[192.0.2.1] while x",
                "delivery temporarily suspended: lost connection with [] while x",
            ),
            (
                "conversation with unknown[2001:db8::1] timed out; relay x[IPv6:2001:db8::2]",
                "conversation with [] timed out; relay []",
            ),
            (
                "Connection timed out H=mx1.antispam.example.net [192.0.2.9]",
                "Connection timed out H=[]",
            ),
            (
                "Host or domain name not found. Name service error for name=dns.example type=MX: x",
                "Host or domain name not found. Name service error for name= type=MX: x",
            ),
            // A remote server's own words, and brackets that hold no address: kept.
            (
                "550 Client host [192.0.2.1] blocked using zen.spamhaus.org",
                "550 Client host [192.0.2.1] blocked using zen.spamhaus.org",
            ),
            (
                "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
                "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
            ),
            (
                "H=(helo.example) [192.0.2.1] x",
                "H=(helo.example) [192.0.2.1] x",
            ),
            ("a[]b [1] name=x type=", "a[]b [1] name= type="),
            ("hostname=a type=b", "hostname=a type=b"),
        ] {
            assert_eq!(hosts_masked(text), want, "{text}");
            // Masked twice (a scan masks before the memo, `Rules::verdict` again): the same.
            assert_eq!(hosts_masked(want), want, "{want}");
            let mut scratch = Vec::new();
            let read = text_to_classify(None, text.as_bytes(), &mut scratch);
            assert_eq!(read, want.as_bytes(), "{text}");
        }
        // A remote server's reply is read as it is written.
        let microsoft = "550 5.7.511 Access denied, banned sender[192.0.2.2]. To request removal";
        let mut scratch = Vec::new();
        let read = text_to_classify(Some(550), microsoft.as_bytes(), &mut scratch);
        assert_eq!(read, microsoft.as_bytes());
    }

    #[test]
    fn many_hosts_and_many_brackets_are_read_through() {
        // Every host of a text naming hundreds, with `name=` after them, is masked.
        let many = "h.example[192.0.2.1] ".repeat(300) + "name=x.example type=MX";
        assert_eq!(hosts_masked(&many), "[] ".repeat(300) + "name= type=MX");
        // Brackets without a closing one or without an address are kept as they are.
        let open = "[".repeat(4096);
        assert_eq!(hosts_masked(&open), open);
        let wide = format!("a[{}]", "1".repeat(60));
        assert_eq!(hosts_masked(&wide), wide);
    }

    #[test]
    fn masking_hosts_is_idempotent_and_never_lengthens() {
        for text in random_texts(b"ab.1:[] =name type=H(", 0x9e37_79b9_7f4a_7c15, 5000, 48) {
            let mut once = text.clone();
            mask_hosts(&mut once);
            assert!(once.len() <= text.len());
            let mut twice = once.clone();
            mask_hosts(&mut twice);
            assert_eq!(once, twice, "{:?}", String::from_utf8_lossy(&text));
            assert_eq!(
                names_a_host(&text),
                once != text,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn a_connection_failure_is_one_whatever_the_host_is_called() {
        let rules = Rules::builtin();
        for text in [
            "connect to mx.spamexperts.com[185.201.16.1]:25: Connection timed out",
            "connect to d123456a.ess.barracudanetworks.com[209.222.82.1]:25: Connection refused",
            "lost connection with mx.junkfilter.example[192.0.2.3] while receiving the initial server greeting",
            "conversation with ssl0.ovh.net[192.0.2.4] timed out while receiving the initial server greeting",
            "Connection timed out H=mx1.antispam.example.net [192.0.2.9]",
        ] {
            let v = rules.verdict(None, None, text.as_bytes(), b"");
            assert_eq!(v.diagnosis, Diagnosis::Connection, "{text}");
        }
        let dns = "Host or domain name not found. Name service error for name=spamfree.example type=MX: Host not found, try again";
        let v = rules.verdict(None, None, dns.as_bytes(), b"");
        assert_eq!(v.diagnosis, Diagnosis::Dns);
    }

    #[test]
    fn names_round_trip_and_texts_are_complete() {
        for (i, d) in Diagnosis::ALL.into_iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(Diagnosis::from_name(d.name()), Some(d));
            assert!(d
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            for t in [d.title(), d.fix(), d.title_vi(), d.fix_vi()] {
                assert!(!t.is_empty() && !t.contains('\n'), "{d}");
            }
        }
        assert_eq!(Diagnosis::from_name("mailbox-full"), None);
    }

    fn enh(s: &str) -> Option<Enhanced> {
        crate::parse::reply::enhanced_at(s.as_bytes()).map(|e| e.0)
    }

    #[test]
    fn mailbox_deferrals() {
        use Diagnosis::*;
        // (code, enhanced, diagnosis, counts)
        let cases = [
            (Some(450), enh("4.2.2"), MailboxFull, true),
            (Some(450), None, Other, true),
            (Some(452), enh("4.2.2"), MailboxFull, true),
            (Some(421), enh("4.2.1"), MailboxDisabled, true),
            (None, enh("4.2.2"), MailboxFull, true),
            (Some(450), enh("4.2.0"), Greylisted, false),
            (Some(450), enh("4.7.1"), Policy, false),
            (Some(452), enh("4.7.2"), MailboxFull, false),
            (Some(450), None, Blocklisted, false),
            (Some(450), enh("4.1.8"), Dns, false),
            (Some(450), enh("4.2.1"), RateLimited, true),
            (Some(451), enh("4.3.0"), Other, false),
            (Some(452), None, MailboxFull, false),
            (Some(550), enh("5.2.2"), MailboxFull, false),
            (None, enh("5.2.2"), MailboxFull, false),
            (None, None, Connection, false),
        ];
        for (code, e, d, want) in cases {
            assert_eq!(is_mailbox_deferral(code, e, d), want, "{code:?} {e:?} {d}");
        }
    }
}
