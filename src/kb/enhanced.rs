//! Enhanced status codes: every code of RFC 3463 and of the IANA "SMTP Enhanced Status Codes"
//! registry (which RFC 5248 created). Each entry names its sources in a comment; texts are the
//! project's own words.

use super::{Entry, ViTexts};

/// Enhanced status codes (RFC 3463 and the IANA registry), written with an `X` class digit and
/// sorted by subject, then detail, numerically.
pub static ENHANCED: &[Entry] = &[
    // X.0.x: Other or undefined status
    // Source: RFC 3463 section 3.1; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtp/smtp_chat.c gives a reply without a valid enhanced code of its own class the code X.0.0
    // of the reply's class.
    Entry {
        code: "X.0.0",
        title: "Other undefined status",
        description: "Only the class is known; there is no more specific subject or detail. 2.0.0 is a plain success, 4.0.0 a generic temporary failure and 5.0.0 a generic permanent failure.",
        when: "Very common: '250 2.0.0 Ok: queued as 4ABC123' and '221 2.0.0 Bye' on success; Postfix also assigns 4.0.0 or 5.0.0 itself when a remote reply has no enhanced code, or one of another class than the reply.",
        fix: "Rely on the basic reply code and the text after it to find the cause; the enhanced code adds nothing here.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái khác, không xác định",
            description: "Chỉ biết lớp mã; không có chủ đề hay chi tiết cụ thể hơn. 2.0.0 là thành công thông thường, 4.0.0 là lỗi tạm thời chung và 5.0.0 là lỗi vĩnh viễn chung.",
            when: "Rất phổ biến: '250 2.0.0 Ok: queued as 4ABC123' và '221 2.0.0 Bye' khi thành công; Postfix cũng tự gán 4.0.0 hoặc 5.0.0 khi phản hồi của máy chủ đích không kèm mã nâng cao, hoặc kèm mã nâng cao khác lớp với phản hồi.",
            fix: "Hãy dựa vào mã trả lời cơ bản và phần chữ đi sau để tìm nguyên nhân; mã nâng cao ở đây không cho thêm thông tin.",
        }),
    },
    // X.1.x: Addressing status
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_addr_valid.ref (reject_unlisted_sender).
    Entry {
        code: "X.1.0",
        title: "Other address status",
        description: "Something about an address (sender or recipient) caused this status, but no more specific code fits.",
        when: "Postfix rejecting unknown local senders with reject_unlisted_sender ('550 5.1.0 <user@example.com>: Sender address rejected: User unknown in local recipient table'), and generic address rejections at providers.",
        fix: "Read the text to see which address is meant; the sender usually has to correct it, or the receiver's postmaster must adjust the address checks if the address is valid.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái địa chỉ khác",
            description: "Có vấn đề với một địa chỉ (người gửi hoặc người nhận) gây ra trạng thái này, nhưng không có mã cụ thể hơn phù hợp.",
            when: "Postfix từ chối người gửi cục bộ không tồn tại bằng reject_unlisted_sender ('550 5.1.0 <user@example.com>: Sender address rejected: User unknown in local recipient table'), và các lời từ chối địa chỉ chung chung ở nhà cung cấp.",
            fix: "Đọc phần chữ để biết địa chỉ nào bị nói tới; thường người gửi phải sửa địa chỉ đó, còn nếu địa chỉ hợp lệ thì quản trị thư phía nhận phải điều chỉnh việc kiểm tra địa chỉ.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_check.c reject_unverified_address: 450 4.1.1 both while a probe is pending
    // (unverified_recipient_defer_code) and when it found the address bad
    // (unverified_recipient_reject_code, default 450).
    Entry {
        code: "X.1.1",
        title: "Bad destination mailbox address",
        description: "The local part (before the @) of the recipient address does not exist at the destination. The registry describes it as meaningful only for permanent failures (5.1.1).",
        when: "The most common hard bounce: typos, deleted accounts and stale list entries ('550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in local recipient table', '550 5.1.1 The email account that you tried to reach does not exist'). Postfix's reject_unverified_recipient answers '450 4.1.1 <user@example.com>: Recipient address rejected: unverified address: ...' while a probe is pending and also, by default, once the probe found the address bad; a 4.1.1 that repeats for the same address means it is bad.",
        fix: "The sender should correct the address or remove it from lists, and not retry. If the address should exist, the receiver's postmaster must check the alias, virtual or LDAP tables.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Địa chỉ hộp thư đích sai",
            description: "Phần tên (trước dấu @) của địa chỉ người nhận không tồn tại ở đích. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn (5.1.1).",
            when: "Lỗi trả về vĩnh viễn phổ biến nhất: gõ sai, tài khoản đã xóa, địa chỉ cũ trong danh sách gửi ('550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in local recipient table', '550 5.1.1 The email account that you tried to reach does not exist'). Quy tắc reject_unverified_recipient của Postfix trả '450 4.1.1 <user@example.com>: Recipient address rejected: unverified address: ...' khi việc thăm dò địa chỉ chưa xong, và theo mặc định cả khi việc thăm dò đã xác định địa chỉ sai; nếu 4.1.1 cứ lặp lại với cùng một địa chỉ thì địa chỉ đó sai.",
            fix: "Người gửi nên sửa địa chỉ hoặc xóa khỏi danh sách, và không thử lại. Nếu địa chỉ đó phải tồn tại, quản trị thư phía nhận cần kiểm tra bảng alias, virtual hoặc LDAP.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_check.c reject_unknown_recipient_domain (unknown_address_reject_code, default
    // 450).
    Entry {
        code: "X.1.2",
        title: "Bad destination system address",
        description: "The domain part (after the @) of the recipient address does not exist or cannot take mail. The registry describes it as meaningful only for permanent failures.",
        when: "Typos in the domain, expired domains, Postfix's reject_unknown_recipient_domain ('450 4.1.2 <user@example.com>: Recipient address rejected: Domain not found', temporary by default), and bounces for domains without usable MX or address records.",
        fix: "The sender should check the spelling of the domain and whether it still exists; if it is the receiver's own domain, its postmaster must fix the DNS.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Địa chỉ hệ thống đích sai",
            description: "Phần tên miền (sau dấu @) của địa chỉ người nhận không tồn tại hoặc không thể nhận thư. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "Gõ sai tên miền, tên miền đã hết hạn, quy tắc reject_unknown_recipient_domain của Postfix ('450 4.1.2 <user@example.com>: Recipient address rejected: Domain not found', mặc định là lỗi tạm thời), và thư bị trả về vì tên miền không có bản ghi MX hay bản ghi địa chỉ dùng được.",
            fix: "Người gửi nên kiểm tra chính tả tên miền và xem tên miền còn tồn tại không; nếu đó là tên miền của phía nhận, quản trị thư bên đó phải sửa DNS.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('501 5.1.3 Bad recipient address syntax').
    Entry {
        code: "X.1.3",
        title: "Bad destination address syntax",
        description: "The recipient address is syntactically invalid. The registry describes it as meaningful only for permanent failures.",
        when: "'501 5.1.3 Bad recipient address syntax' from Postfix, and addresses with spaces, a missing @ or stray characters produced by web forms and scripts.",
        fix: "The sender must fix the address at its source (form validation, address book, script). Nothing to do on the receiving side.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Cú pháp địa chỉ đích sai",
            description: "Địa chỉ người nhận sai cú pháp. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "'501 5.1.3 Bad recipient address syntax' từ Postfix, và địa chỉ có khoảng trắng, thiếu @ hoặc có ký tự lạ do biểu mẫu web hay script tạo ra.",
            fix: "Người gửi phải sửa địa chỉ tại nguồn (kiểm tra biểu mẫu, sổ địa chỉ, script). Phía nhận không cần làm gì.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.1.4",
        title: "Destination address ambiguous",
        description: "The recipient address matches more than one mailbox at the destination, so the server cannot pick one.",
        when: "Rare; mostly gateways or directory-based servers that map partial or approximate names to mailboxes.",
        fix: "The sender should use a more precise address; the receiver's postmaster can make the directory mapping unique.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Địa chỉ đích không rõ ràng",
            description: "Địa chỉ người nhận khớp với nhiều hộp thư ở phía đích, nên máy chủ không chọn được hộp thư nào.",
            when: "Hiếm gặp; chủ yếu ở các cổng chuyển đổi (gateway) hoặc máy chủ dựa trên danh bạ, nơi tên viết tắt hay gần đúng được ánh xạ sang hộp thư.",
            fix: "Người gửi nên dùng địa chỉ chính xác hơn; quản trị thư phía nhận có thể sửa danh bạ để mỗi tên chỉ ứng với một hộp thư.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.1.5",
        title: "Destination address valid",
        description: "The recipient address was accepted as valid. It belongs in success replies and reports (2.1.5).",
        when: "'250 2.1.5 Ok' answers to RCPT TO, and delivery status notifications reporting a successful delivery.",
        fix: "Nothing to do; it is a success code.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Địa chỉ đích hợp lệ",
            description: "Địa chỉ người nhận được chấp nhận là hợp lệ. Mã này dùng trong phản hồi và báo cáo thành công (2.1.5).",
            when: "Câu trả lời '250 2.1.5 Ok' cho lệnh RCPT TO, và thông báo trạng thái chuyển thư (DSN) báo đã chuyển thành công.",
            fix: "Không cần làm gì; đây là mã thành công.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // trivial-rewrite/resolve.c (relocated_maps, 5.1.6 'User has moved to').
    Entry {
        code: "X.1.6",
        title: "Mailbox moved, no forwarding",
        description: "The address used to be valid, but the mailbox has moved and no forwarding address is available. The registry describes it as meaningful only for permanent failures.",
        when: "Postfix relocated_maps entries ('550 5.1.6 <user@example.com>: Recipient address rejected: User has moved to user@example.net'), and mailboxes of people who left an organisation, retired with a notice.",
        fix: "The sender should switch to the new address if the reply text names one, and stop using the old address.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hộp thư đã chuyển đi, không có địa chỉ chuyển tiếp",
            description: "Địa chỉ này từng hợp lệ, nhưng hộp thư đã chuyển đi và không có địa chỉ chuyển tiếp. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "Các mục trong relocated_maps của Postfix ('550 5.1.6 <user@example.com>: Recipient address rejected: User has moved to user@example.net'), và hộp thư của người đã rời tổ chức, được ngừng dùng kèm thông báo.",
            fix: "Người gửi nên chuyển sang địa chỉ mới nếu phản hồi có nêu, và thôi dùng địa chỉ cũ.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('501 5.1.7 Bad sender address syntax').
    Entry {
        code: "X.1.7",
        title: "Bad sender address syntax",
        description: "The sender (MAIL FROM) address is syntactically invalid.",
        when: "'501 5.1.7 Bad sender address syntax' from Postfix, often from applications or scripts that put a display name or a bare user name in the envelope sender.",
        fix: "The sender's postmaster must make the application use a proper envelope sender (user@domain); address rewriting in Postfix or Exim can help for local programs.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Cú pháp địa chỉ người gửi sai",
            description: "Địa chỉ người gửi (MAIL FROM) sai cú pháp.",
            when: "'501 5.1.7 Bad sender address syntax' từ Postfix, thường do ứng dụng hoặc script đặt tên hiển thị hay chỉ tên người dùng trần vào địa chỉ người gửi trên phong bì.",
            fix: "Quản trị thư phía gửi phải cho ứng dụng dùng địa chỉ người gửi trên phong bì đúng dạng (user@domain); tính năng viết lại địa chỉ của Postfix hoặc Exim có thể giúp với các chương trình chạy cục bộ.",
        }),
    },
    // Source: RFC 3463 section 3.2; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_check.c reject_unknown_sender_domain (unknown_address_reject_code, default 450).
    Entry {
        code: "X.1.8",
        title: "Bad sender system address",
        description: "The sender's domain does not exist or cannot receive mail, so bounces could not be returned to it.",
        when: "Postfix's reject_unknown_sender_domain ('450 4.1.8 <user@example.com>: Sender address rejected: Domain not found' by default, 5.1.8 when configured to reject), and Exim sender verification failing for domains that do not resolve.",
        fix: "The sender's postmaster must use an envelope sender in a domain that has MX or address records; the receiver can only relax the check.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Tên miền người gửi sai",
            description: "Tên miền của người gửi không tồn tại hoặc không nhận được thư, nên thư báo lỗi không thể gửi ngược về đó.",
            when: "Quy tắc reject_unknown_sender_domain của Postfix ('450 4.1.8 <user@example.com>: Sender address rejected: Domain not found' theo mặc định, 5.1.8 khi được cấu hình để từ chối hẳn), và việc xác minh người gửi của Exim thất bại với tên miền không phân giải được.",
            fix: "Quản trị thư phía gửi phải dùng địa chỉ người gửi trên phong bì thuộc một tên miền có bản ghi MX hoặc bản ghi địa chỉ; phía nhận chỉ có thể nới lỏng việc kiểm tra.",
        }),
    },
    // Source: RFC 3886; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.1.9",
        title: "Relayed to non-compliant mailer",
        description: "The address was valid, but the message was passed on to a system that does not support delivery status reporting, so no further status is available. It appears mainly in delivery reports with a 'relayed' action.",
        when: "Rare; delivery status notifications or message tracking (RFC 3886) after a gateway handed the message to a system without DSN support.",
        fix: "Nothing to fix; the sender simply cannot get confirmation beyond that hop.",
        reference: "RFC 3886",
        vi: Some(ViTexts {
            title: "Đã chuyển tới hệ thống không hỗ trợ báo trạng thái",
            description: "Địa chỉ hợp lệ, nhưng thư đã được chuyển sang một hệ thống không hỗ trợ báo cáo trạng thái chuyển thư, nên không có thêm thông tin nào nữa. Mã này chủ yếu xuất hiện trong báo cáo chuyển thư với hành động 'relayed'.",
            when: "Hiếm gặp; thông báo trạng thái chuyển thư hoặc theo dõi thư (RFC 3886) sau khi một cổng chuyển đổi đã giao thư cho hệ thống không hỗ trợ DSN.",
            fix: "Không có gì cần sửa; chỉ là người gửi không thể nhận xác nhận sau chặng đó.",
        }),
    },
    // Source: RFC 7505; IANA SMTP Enhanced Status Codes registry; RFC 7505 section 4.2; Postfix
    // smtpd/smtpd_nullmx.ref ('556 5.1.10 ... (nullMX)').
    Entry {
        code: "X.1.10",
        title: "Recipient domain has null MX",
        description: "The recipient's domain publishes a null MX record, meaning it accepts no mail. Registered for permanent failures (5.1.10), usually with basic code 556.",
        when: "Postfix and other MTAs that honour RFC 7505 bounce with '556 5.1.10 <user@example.com>: Recipient address rejected: Domain example.com does not accept mail (nullMX)', often because of a typo or a parked domain.",
        fix: "The sender should correct the address. If the domain should receive mail, its owner must replace the null MX with real MX records.",
        reference: "RFC 7505",
        vi: Some(ViTexts {
            title: "Tên miền người nhận có null MX",
            description: "Tên miền của người nhận công bố bản ghi null MX, nghĩa là không nhận bất kỳ thư nào. Mã được đăng ký cho lỗi vĩnh viễn (5.1.10), thường đi với mã cơ bản 556.",
            when: "Postfix và các MTA khác tuân theo RFC 7505 trả thư về với '556 5.1.10 <user@example.com>: Recipient address rejected: Domain example.com does not accept mail (nullMX)', thường do gõ nhầm hoặc tên miền chỉ để giữ chỗ.",
            fix: "Người gửi nên sửa địa chỉ. Nếu tên miền cần nhận thư, chủ sở hữu phải thay null MX bằng bản ghi MX thật.",
        }),
    },
    // X.2.x: Mailbox status
    // Source: RFC 3463 section 3.3; IANA SMTP Enhanced Status Codes registry; postgrey's default
    // reply text.
    Entry {
        code: "X.2.0",
        title: "Other mailbox status",
        description: "The mailbox exists, but something about it caused this status and no more specific code fits.",
        when: "Very often greylisting: postgrey answers '450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted'; some servers also use 4.2.0 or 5.2.0 for locked mailboxes or generic mailbox problems.",
        fix: "For 4.2.0 greylisting, nothing: the sending MTA retries, and the retry after the greylisting delay is accepted. If a 4.2.0 or 5.2.0 persists, the receiver's postmaster should look at that mailbox.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái hộp thư khác",
            description: "Hộp thư tồn tại nhưng có vấn đề gì đó với nó gây ra trạng thái này, và không có mã cụ thể hơn phù hợp.",
            when: "Thường là greylisting: postgrey trả lời '450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted'; một số máy chủ cũng dùng 4.2.0 hoặc 5.2.0 khi hộp thư bị khóa hoặc có sự cố chung.",
            fix: "Với greylisting 4.2.0 thì không cần làm gì: MTA gửi sẽ thử lại, và lần thử sau khoảng thời gian chờ của greylisting sẽ được chấp nhận. Nếu 4.2.0 hoặc 5.2.0 kéo dài, quản trị thư phía nhận nên kiểm tra hộp thư đó.",
        }),
    },
    // Source: RFC 3463 section 3.3; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.2.1",
        title: "Mailbox disabled",
        description: "The mailbox exists but is not accepting messages. It can be permanent (account closed or suspended) or temporary (briefly disabled).",
        when: "Suspended or inactive accounts at providers ('550 5.2.1 The email account that you tried to reach is disabled'), and 4.2.1 when a provider throttles a recipient that is receiving mail too fast.",
        fix: "For 5.2.1, the sender should stop mailing the address and reach the person another way; for 4.2.1, let the MTA retry. The receiver's postmaster re-enables the account if it was disabled by mistake.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hộp thư bị vô hiệu hóa",
            description: "Hộp thư tồn tại nhưng không nhận thư. Tình trạng có thể vĩnh viễn (tài khoản bị đóng hoặc đình chỉ) hoặc tạm thời (bị tắt trong thời gian ngắn).",
            when: "Tài khoản bị đình chỉ hoặc lâu không dùng ở nhà cung cấp ('550 5.2.1 The email account that you tried to reach is disabled'), và 4.2.1 khi nhà cung cấp hạn chế một người nhận đang nhận thư quá nhanh.",
            fix: "Với 5.2.1, người gửi nên ngừng gửi tới địa chỉ đó và liên lạc bằng cách khác; với 4.2.1, hãy để MTA tự thử lại. Quản trị thư phía nhận kích hoạt lại tài khoản nếu bị tắt nhầm.",
        }),
    },
    // Source: RFC 3463 section 3.3; IANA SMTP Enhanced Status Codes registry; Dovecot and Gmail
    // over-quota reply texts.
    Entry {
        code: "X.2.2",
        title: "Mailbox full",
        description: "The recipient's mailbox is over its quota or out of space; the recipient could make room by deleting mail. RFC 3463 intends it as a temporary failure (4.2.2), though many servers send 5.2.2.",
        when: "Dovecot, Exim or Postfix local delivery hitting a quota ('452 4.2.2 <user@example.com>: Quota exceeded', '552 5.2.2 Mailbox full'), abandoned mailboxes filling up with spam, and provider accounts over quota.",
        fix: "With 4.2.2 the sending MTA retries until its queue lifetime ends. The recipient must delete mail or the receiver's postmaster must raise the quota; abandoned mailboxes should be disabled.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hộp thư đầy",
            description: "Hộp thư người nhận đã vượt hạn mức hoặc hết chỗ; người nhận có thể xóa bớt thư để có chỗ. RFC 3463 coi đây là lỗi tạm thời (4.2.2), dù nhiều máy chủ gửi 5.2.2.",
            when: "Dovecot, Exim hoặc Postfix khi chuyển thư cục bộ gặp giới hạn hạn mức ('452 4.2.2 <user@example.com>: Quota exceeded', '552 5.2.2 Mailbox full'), hộp thư bị bỏ rơi đầy thư rác, và tài khoản ở nhà cung cấp vượt hạn mức.",
            fix: "Với 4.2.2, MTA gửi sẽ thử lại cho tới khi hết thời gian lưu trong hàng đợi. Người nhận phải xóa bớt thư hoặc quản trị thư phía nhận phải nâng hạn mức; hộp thư bị bỏ rơi nên được vô hiệu hóa.",
        }),
    },
    // Source: RFC 3463 section 3.3; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.2.3",
        title: "Message exceeds mailbox limit",
        description: "The message is larger than a per-mailbox size limit that is lower than the system-wide limit. Meant as a permanent failure.",
        when: "Mailboxes or lists with their own size caps; some providers also use 5.2.3 for messages over their general size limit ('552 5.2.3 Your message exceeded ... size limits').",
        fix: "The sender should make the message smaller or send large files by link; the receiver's postmaster can raise that mailbox's limit.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Thư vượt giới hạn của hộp thư",
            description: "Thư lớn hơn giới hạn kích thước riêng của hộp thư, vốn thấp hơn giới hạn chung của hệ thống. Dự kiến dùng như lỗi vĩnh viễn.",
            when: "Hộp thư hoặc danh sách thư có giới hạn kích thước riêng; một số nhà cung cấp cũng dùng 5.2.3 cho thư vượt giới hạn chung của họ ('552 5.2.3 Your message exceeded ... size limits').",
            fix: "Người gửi nên giảm dung lượng thư hoặc gửi tệp lớn qua liên kết; quản trị thư phía nhận có thể nâng giới hạn của hộp thư đó.",
        }),
    },
    // Source: RFC 3463 section 3.3; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.2.4",
        title: "Mailing list expansion problem",
        description: "The address is a mailing list or alias that could not be expanded into its members. It can be temporary or permanent.",
        when: "List managers or alias expansions failing, for example an unreadable :include: file in Postfix or Exim aliases, or a broken list database.",
        fix: "The receiver's postmaster or the list owner must fix the list or alias definition; the sender can only wait for retries or write to the list owner.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lỗi khi mở rộng danh sách thư",
            description: "Địa chỉ là một danh sách thư hoặc bí danh (alias) không thể mở rộng thành danh sách thành viên. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Trình quản lý danh sách hoặc việc mở rộng bí danh bị lỗi, ví dụ tệp :include: không đọc được trong bảng alias của Postfix hay Exim, hoặc cơ sở dữ liệu danh sách bị hỏng.",
            fix: "Quản trị thư phía nhận hoặc chủ danh sách phải sửa định nghĩa danh sách hay bí danh; người gửi chỉ có thể chờ thư được thử lại hoặc viết cho chủ danh sách.",
        }),
    },
    // X.3.x: Mail system status
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.3.0",
        title: "Other mail system status",
        description: "The destination system normally accepts mail, but something about the system itself caused this status.",
        when: "Postfix 'dsn=4.3.0, status=deferred (mail transport unavailable)' when a transport in master.cf is broken, failing local delivery agents, and servers using 4.3.0 or 5.3.0 for generic internal errors.",
        fix: "If it is your own Postfix or Exim, look for the earlier warning or fatal lines about the transport; if it is remote, the sender waits and the receiver's postmaster investigates.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái hệ thống thư khác",
            description: "Hệ thống đích bình thường vẫn nhận thư, nhưng có vấn đề gì đó ở chính hệ thống gây ra trạng thái này.",
            when: "Postfix ghi 'dsn=4.3.0, status=deferred (mail transport unavailable)' khi một transport trong master.cf bị hỏng, trình chuyển thư cục bộ gặp lỗi, và máy chủ dùng 4.3.0 hay 5.3.0 cho lỗi nội bộ chung.",
            fix: "Nếu là Postfix hoặc Exim của chính bạn, hãy tìm các dòng warning hoặc fatal trước đó liên quan tới transport; nếu là máy chủ khác, phía gửi chờ thử lại còn quản trị thư phía nhận điều tra nguyên nhân.",
        }),
    },
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_check.c ('452 4.3.1 Insufficient system storage', queue_minfree).
    Entry {
        code: "X.3.1",
        title: "Mail system full",
        description: "The mail system's storage is exhausted; unlike a full mailbox, the recipient cannot fix it. The registry describes it as meaningful only for temporary failures.",
        when: "'452 4.3.1 Insufficient system storage' from Postfix when the queue file system has less free space than queue_minfree, and full disks on the receiving server.",
        fix: "The receiver's postmaster must free disk space or grow the file system; senders just wait for their MTA to retry.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hệ thống thư hết chỗ",
            description: "Bộ nhớ lưu trữ của hệ thống thư đã cạn; khác với hộp thư đầy, người nhận không tự khắc phục được. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi tạm thời.",
            when: "'452 4.3.1 Insufficient system storage' từ Postfix khi hệ thống tệp chứa hàng đợi còn ít chỗ trống hơn queue_minfree, và ổ đĩa đầy ở máy chủ nhận.",
            fix: "Quản trị thư phía nhận phải giải phóng dung lượng đĩa hoặc mở rộng hệ thống tệp; phía gửi chỉ cần chờ MTA của mình thử lại.",
        }),
    },
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.3.2",
        title: "System not accepting messages",
        description: "The host holding the mailbox is not taking messages, for example during shutdown, maintenance or overload. It can be temporary or permanent.",
        when: "Servers closing sessions during shutdown, maintenance or overload with 421 4.3.2, and hosts that refuse all mail with 521 and 5.3.2.",
        fix: "Senders wait, since their MTA retries 4.3.2 automatically. If it lasts, the receiver's postmaster should check why the service is refusing mail.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hệ thống không nhận thư",
            description: "Máy chứa hộp thư hiện không nhận thư, ví dụ khi đang tắt, đang bảo trì hoặc quá tải. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Máy chủ đóng phiên khi đang tắt, bảo trì hoặc quá tải với 421 4.3.2, và máy từ chối mọi thư với 521 và 5.3.2.",
            fix: "Phía gửi cứ chờ, vì MTA sẽ tự thử lại khi gặp 4.3.2. Nếu kéo dài, quản trị thư phía nhận nên kiểm tra vì sao dịch vụ từ chối thư.",
        }),
    },
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.3.3",
        title: "Selected features not supported",
        description: "The message asks for features, such as a delivery option or extension, that the destination system cannot provide; this happens mostly at gateways.",
        when: "Rare; gateways that cannot map options such as delivery deadlines or priorities to the next system, and servers lacking an extension the message depends on.",
        fix: "The sender should resend without the special options; the receiver's postmaster can enable the feature if it is expected.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Tính năng được chọn không được hỗ trợ",
            description: "Thư yêu cầu những tính năng, như một tùy chọn chuyển thư hay một phần mở rộng, mà hệ thống đích không cung cấp được; chủ yếu xảy ra ở các cổng chuyển đổi.",
            when: "Hiếm gặp; cổng chuyển đổi không thể chuyển các tùy chọn như hạn chót chuyển thư hay độ ưu tiên sang hệ thống tiếp theo, và máy chủ thiếu phần mở rộng mà thư cần.",
            fix: "Người gửi nên gửi lại mà không dùng các tùy chọn đặc biệt; quản trị thư phía nhận có thể bật tính năng đó nếu cần.",
        }),
    },
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd_check.c ('552 5.3.4 Message size exceeds fixed limit').
    Entry {
        code: "X.3.4",
        title: "Message too big",
        description: "The message exceeds the system's per-message size limit, physical or administrative. The registry describes it as meaningful only for permanent failures.",
        when: "'552 5.3.4 Message size exceeds fixed limit' from Postfix (message_size_limit), Exim rejections under its message_size_limit, and large attachments sent to servers with small limits.",
        fix: "The sender should send a smaller message or share files by link; the receiver's postmaster may raise the limit if such messages are wanted.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Thư quá lớn",
            description: "Thư vượt giới hạn kích thước mỗi thư của hệ thống, do giới hạn vật lý hoặc do quản trị đặt ra. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "'552 5.3.4 Message size exceeds fixed limit' từ Postfix (message_size_limit), Exim từ chối theo message_size_limit của nó, và tệp đính kèm lớn gửi tới máy chủ có giới hạn nhỏ.",
            fix: "Người gửi nên gửi thư nhỏ hơn hoặc chia sẻ tệp qua liên kết; quản trị thư phía nhận có thể nâng giới hạn nếu muốn nhận những thư như vậy.",
        }),
    },
    // Source: RFC 3463 section 3.4; IANA SMTP Enhanced Status Codes registry; Postfix
    // global/mail_params.h (smtpd_policy_service_default_action) and smtpd/smtpd.c ('421 4.3.5
    // Server configuration error').
    Entry {
        code: "X.3.5",
        title: "System incorrectly configured",
        description: "The system is not configured in a way that lets it accept this message.",
        when: "'451 4.3.5 Server configuration problem' or 'Server configuration error' from Postfix when a lookup table, milter or policy service is missing or broken, and 5.3.5 from misconfigured relays.",
        fix: "The receiver's postmaster must fix the configuration named in their own logs (warning lines from smtpd or the lookup table); the sender waits for retries.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hệ thống cấu hình sai",
            description: "Hệ thống không được cấu hình theo cách cho phép nhận thư này.",
            when: "'451 4.3.5 Server configuration problem' hoặc 'Server configuration error' từ Postfix khi một bảng tra cứu, milter hoặc dịch vụ chính sách bị thiếu hay hỏng, và 5.3.5 từ các máy chuyển tiếp cấu hình sai.",
            fix: "Quản trị thư phía nhận phải sửa phần cấu hình được nêu trong nhật ký của mình (các dòng warning từ smtpd hoặc từ bảng tra cứu); phía gửi chờ thư được thử lại.",
        }),
    },
    // Source: RFC 6710; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.3.6",
        title: "Requested priority changed",
        description: "The message was accepted, but the priority requested with the MT-PRIORITY extension was changed by the server. Registered as a success code (2.3.6).",
        when: "Only on servers that support MT-PRIORITY, which is rare outside special networks.",
        fix: "Nothing to fix; the message was accepted with a different priority.",
        reference: "RFC 6710",
        vi: Some(ViTexts {
            title: "Độ ưu tiên yêu cầu đã bị thay đổi",
            description: "Thư đã được nhận, nhưng độ ưu tiên yêu cầu qua phần mở rộng MT-PRIORITY đã bị máy chủ thay đổi. Được đăng ký như mã thành công (2.3.6).",
            when: "Chỉ gặp trên máy chủ hỗ trợ MT-PRIORITY, điều hiếm thấy ngoài các mạng chuyên dụng.",
            fix: "Không có gì cần sửa; thư đã được nhận với độ ưu tiên khác.",
        }),
    },
    // X.4.x: Network and routing status
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry; Postfix
    // global/cleanup_strerror.c (hop-count limit: 554 5.4.0 'too many hops').
    Entry {
        code: "X.4.0",
        title: "Other network or routing status",
        description: "Something went wrong in networking or routing, but no more specific code fits.",
        when: "Generic connection or routing failures that the reporting MTA or relay could not classify more precisely, and Postfix's answer to a message that passed more relays than hopcount_limit allows ('554 5.4.0 Error: too many hops').",
        fix: "The sender's postmaster should read the text for the actual network error; if it persists, check DNS, firewalls and routes towards the destination. 'too many hops' is a mail loop: the postmasters of the servers involved must find which forwarding or routing sends the message in a circle.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái mạng hoặc định tuyến khác",
            description: "Có sự cố về mạng hoặc định tuyến, nhưng không có mã cụ thể hơn phù hợp.",
            when: "Các lỗi kết nối hay định tuyến chung mà MTA hoặc máy chuyển tiếp báo cáo không phân loại rõ hơn được, và câu trả lời của Postfix cho thư đã đi qua nhiều máy chuyển tiếp hơn mức hopcount_limit cho phép ('554 5.4.0 Error: too many hops').",
            fix: "Quản trị thư phía gửi nên đọc phần chữ để biết lỗi mạng thực sự; nếu kéo dài, hãy kiểm tra DNS, tường lửa và tuyến đường tới đích. 'too many hops' là vòng lặp thư: quản trị của các máy chủ liên quan phải tìm xem việc chuyển tiếp hay định tuyến nào đưa thư đi vòng tròn.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.4.1",
        title: "No answer from host",
        description: "The connection attempt got no answer, because the remote system was busy, down or unreachable. The registry describes it as meaningful only for temporary failures.",
        when: "Postfix 'dsn=4.4.1, status=deferred (connect to mx.example.com[...]:25: Connection timed out)' or 'Connection refused', and Exim deferrals after connection timeouts; outbound port 25 blocked by the ISP or cloud provider is a frequent cause.",
        fix: "Usually nothing: the MTA retries. If every destination times out, the sender's postmaster should check that outbound port 25 is not blocked; if only one does, the receiver's postmaster should check that their MX is up and reachable.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Máy chủ đích không trả lời",
            description: "Lần thử kết nối không nhận được phản hồi vì hệ thống đích bận, ngừng hoạt động hoặc không thể truy cập. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi tạm thời.",
            when: "Postfix ghi 'dsn=4.4.1, status=deferred (connect to mx.example.com[...]:25: Connection timed out)' hoặc 'Connection refused', và Exim hoãn gửi sau khi kết nối quá thời gian; cổng 25 chiều ra bị nhà mạng hoặc nhà cung cấp đám mây chặn là nguyên nhân thường gặp.",
            fix: "Thường không cần làm gì: MTA sẽ tự thử lại. Nếu mọi đích đều quá thời gian, quản trị thư phía gửi nên kiểm tra cổng 25 chiều ra có bị chặn không; nếu chỉ một đích, quản trị phía nhận nên kiểm tra máy chủ MX có hoạt động và truy cập được không.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('421 4.4.2 ... Error: timeout exceeded').
    Entry {
        code: "X.4.2",
        title: "Bad connection",
        description: "The connection was made but the transaction could not be finished, because of a timeout or a poor connection. The registry describes it as meaningful only for temporary failures.",
        when: "Postfix 'lost connection with ... while receiving the initial server greeting' or 'conversation with ... timed out while sending message body', remote servers dropping slow or suspicious clients, and '421 4.4.2 mx.example.com Error: timeout exceeded'.",
        fix: "Usually nothing; the MTA retries. Repeated cases with one destination can mean the receiver is tarpitting or filtering the sender, or an MTU or firewall problem; the sender's postmaster should test the path and ask the receiver if needed.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Kết nối lỗi",
            description: "Kết nối đã được thiết lập nhưng giao dịch không hoàn tất do quá thời gian hoặc đường truyền kém. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi tạm thời.",
            when: "Postfix ghi 'lost connection with ... while receiving the initial server greeting' hoặc 'conversation with ... timed out while sending message body', máy chủ đích ngắt các máy khách chậm hoặc đáng ngờ, và '421 4.4.2 mx.example.com Error: timeout exceeded'.",
            fix: "Thường không cần làm gì; MTA sẽ tự thử lại. Nếu lặp lại với cùng một đích, có thể phía nhận đang cố tình làm chậm (tarpit) hoặc lọc bên gửi, hoặc có vấn đề MTU hay tường lửa; quản trị thư phía gửi nên kiểm tra đường truyền và hỏi phía nhận nếu cần.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry; Postfix smtp(8) DNS
    // lookup errors (dsn=4.4.3).
    Entry {
        code: "X.4.3",
        title: "Directory server failure",
        description: "Routing failed because a directory service, most often DNS, could not be reached or answered with a temporary error. The registry describes it as meaningful only for temporary failures.",
        when: "Postfix 'dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=... type=MX: Host not found, try again)', resolver outages on the sending host, and broken or lame name servers of the recipient domain.",
        fix: "The sender's postmaster should test the local resolver (dig MX for the domain); if it works and only one domain fails, that domain's owner must fix their name servers.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lỗi dịch vụ tra cứu tên",
            description: "Việc định tuyến thất bại vì dịch vụ tra cứu tên, thường là DNS, không truy cập được hoặc trả về lỗi tạm thời. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi tạm thời.",
            when: "Postfix ghi 'dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=... type=MX: Host not found, try again)', bộ phân giải DNS của máy gửi gặp sự cố, và máy chủ tên miền của tên miền người nhận bị hỏng hoặc cấu hình sai.",
            fix: "Quản trị thư phía gửi nên kiểm tra bộ phân giải cục bộ (dig MX cho tên miền đó); nếu bộ phân giải hoạt động và chỉ một tên miền lỗi, chủ tên miền đó phải sửa máy chủ tên miền của họ.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.4.4",
        title: "Unable to route",
        description: "The next hop could not be determined because the routing information is missing, for example the domain has no MX or address records. It can be temporary or permanent.",
        when: "Postfix 'dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=... type=A: Host not found)' for domains that do not exist, Exim's 'all relevant MX records point to non-existent hosts', and transport maps pointing nowhere.",
        fix: "The sender should check the recipient domain for typos or expiry; if the domain is valid, its owner must publish working MX or address records. For a broken local transport map, the sender's own postmaster fixes the route.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Không thể định tuyến",
            description: "Không xác định được chặng tiếp theo vì thiếu thông tin định tuyến, ví dụ tên miền không có bản ghi MX hay bản ghi địa chỉ. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Postfix ghi 'dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=... type=A: Host not found)' với tên miền không tồn tại, Exim báo 'all relevant MX records point to non-existent hosts', và bảng transport trỏ tới nơi không tồn tại.",
            fix: "Người gửi nên kiểm tra tên miền người nhận có gõ sai hay đã hết hạn không; nếu tên miền hợp lệ, chủ sở hữu phải công bố bản ghi MX hoặc bản ghi địa chỉ hoạt động được. Nếu do bảng transport cục bộ sai, quản trị thư phía gửi tự sửa tuyến.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.4.5",
        title: "Mail system congestion",
        description: "The message could not be delivered because the mail system was congested. The registry describes it as meaningful only for temporary failures.",
        when: "Receivers limiting concurrency or sending rate per client, and overloaded relays or content scanners deferring new messages.",
        fix: "Usually nothing; the MTA retries. If a high-volume sender sees it often, the sender's postmaster should lower concurrency towards that destination (e.g. Postfix smtp_destination_concurrency_limit).",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hệ thống thư bị nghẽn",
            description: "Không thể chuyển thư vì hệ thống thư đang bị nghẽn. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi tạm thời.",
            when: "Phía nhận giới hạn số kết nối đồng thời hoặc tốc độ gửi của từng máy khách, và máy chuyển tiếp hay bộ quét nội dung quá tải nên hoãn nhận thư mới.",
            fix: "Thường không cần làm gì; MTA sẽ tự thử lại. Nếu bên gửi số lượng lớn gặp mã này thường xuyên, quản trị thư phía gửi nên giảm số kết nối đồng thời tới đích đó (ví dụ smtp_destination_concurrency_limit của Postfix).",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtp/smtp_connect.c ('loops back to myself') and local/recipient.c ('mail forwarding loop
    // for'), both 5.4.6; hop-count loops are 5.4.0 (global/cleanup_strerror.c).
    Entry {
        code: "X.4.6",
        title: "Routing loop detected",
        description: "The message was forwarded too many times, because of bad routing tables or a forwarding loop between users or servers. RFC 3463 describes it as a temporary failure, though MTAs usually bounce it as 5.4.6.",
        when: "Postfix 'mail for example.com loops back to myself' when a domain's MX points to the server but the domain is not in mydestination or the virtual or relay domains, Postfix local delivery's 'mail forwarding loop for user@example.com' between aliases or .forward files, and Exim's 'Too many \"Received\" headers - suspected mail loop'. Postfix reports a message that exceeded its hop count as 554 5.4.0, not 5.4.6.",
        fix: "The postmaster of the looping server must fix the configuration: list the domain in mydestination or the virtual or relay domains, correct transport maps, or break the forwarding chain between mailboxes and aliases.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Phát hiện vòng lặp định tuyến",
            description: "Thư bị chuyển tiếp quá nhiều lần, do bảng định tuyến sai hoặc vòng chuyển tiếp giữa người dùng hay giữa các máy chủ. RFC 3463 coi đây là lỗi tạm thời, nhưng các MTA thường trả thư về với 5.4.6.",
            when: "Postfix báo 'mail for example.com loops back to myself' khi MX của một tên miền trỏ về máy chủ nhưng tên miền không có trong mydestination hay các tên miền virtual hoặc relay, trình chuyển thư cục bộ của Postfix báo 'mail forwarding loop for user@example.com' khi bí danh hay tệp .forward chuyển vòng cho nhau, và Exim báo 'Too many \"Received\" headers - suspected mail loop'. Postfix báo thư vượt số chặng cho phép bằng 554 5.4.0, không phải 5.4.6.",
            fix: "Quản trị của máy chủ bị lặp phải sửa cấu hình: thêm tên miền vào mydestination hoặc các tên miền virtual hay relay, sửa bảng transport, hoặc cắt chuỗi chuyển tiếp giữa các hộp thư và bí danh.",
        }),
    },
    // Source: RFC 3463 section 3.5; IANA SMTP Enhanced Status Codes registry; Postfix never sends
    // X.4.7: qmgr/qmgr_active.c logs 'status=expired, returned to sender' and the bounce keeps the
    // last deferral's status.
    Entry {
        code: "X.4.7",
        title: "Delivery time expired",
        description: "The message was considered too old, because it stayed queued too long or exceeded a time limit set by the sender. Where possible, the code of the underlying problem should be reported instead.",
        when: "Delivery reports from MTAs that mark expired messages with this code after days of 4xx deferrals. Postfix is not one of them: when maximal_queue_lifetime runs out it logs 'status=expired, returned to sender' and the bounce carries the status of the last deferral; Exim's bounce says 'retry timeout exceeded'.",
        fix: "Look at the last deferral reason before expiry in the sender's logs; that is the real problem to fix (unreachable MX, greylisting that never passed, a full mailbox). The sender may resend once it is solved.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Hết thời gian chuyển thư",
            description: "Thư bị coi là quá cũ vì đã nằm trong hàng đợi quá lâu hoặc vượt giới hạn thời gian do bên gửi đặt. Khi có thể, hệ thống nên báo mã của sự cố thực sự thay cho mã này.",
            when: "Báo cáo chuyển thư từ những MTA đánh dấu thư hết hạn bằng mã này sau nhiều ngày bị hoãn với lỗi 4xx. Postfix không làm vậy: khi hết maximal_queue_lifetime, Postfix ghi 'status=expired, returned to sender' và thư báo lỗi mang trạng thái của lần hoãn cuối cùng; thư báo lỗi của Exim ghi 'retry timeout exceeded'.",
            fix: "Hãy xem lý do hoãn cuối cùng trước khi hết hạn trong nhật ký phía gửi; đó mới là vấn đề thật cần khắc phục (MX không truy cập được, greylisting không qua được, hộp thư đầy). Người gửi có thể gửi lại sau khi đã giải quyết.",
        }),
    },
    // X.5.x: Mail delivery protocol status
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.5.0",
        title: "Other protocol status",
        description: "Something was wrong with the SMTP protocol exchange and no more specific code fits.",
        when: "Used loosely by many servers, both in success replies such as '250 2.5.0 Ok' and in generic protocol errors.",
        fix: "Read the basic code and the text; for errors, the sender's postmaster usually has to fix how the client speaks SMTP.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái giao thức khác",
            description: "Có vấn đề trong trao đổi giao thức SMTP mà không có mã cụ thể hơn phù hợp.",
            when: "Nhiều máy chủ dùng mã này khá tùy tiện, cả trong phản hồi thành công như '250 2.5.0 Ok' lẫn trong các lỗi giao thức chung chung.",
            fix: "Hãy đọc mã cơ bản và phần chữ đi kèm; với lỗi, quản trị thư phía gửi thường phải sửa cách máy khách giao tiếp SMTP.",
        }),
    },
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('503 5.5.1 Error: need RCPT command', '502 5.5.1 VRFY command is disabled').
    Entry {
        code: "X.5.1",
        title: "Invalid command",
        description: "A command was sent out of sequence or is not supported. The registry describes it as meaningful only for permanent failures.",
        when: "'503 5.5.1 Error: need RCPT command', 'send HELO/EHLO first', and '502 5.5.1 VRFY command is disabled' in Postfix logs.",
        fix: "Usually a symptom of an earlier rejection or a broken client; the sender's postmaster should check the whole session and fix the client software.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lệnh không hợp lệ",
            description: "Một lệnh được gửi sai thứ tự hoặc không được hỗ trợ. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "'503 5.5.1 Error: need RCPT command', 'send HELO/EHLO first', và '502 5.5.1 VRFY command is disabled' trong nhật ký Postfix.",
            fix: "Thường chỉ là hệ quả của một lần từ chối trước đó hoặc của máy khách bị lỗi; quản trị thư phía gửi nên xem toàn bộ phiên và sửa phần mềm máy khách.",
        }),
    },
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry; Postfix 3.7+
    // smtpd/smtpd.c ('500 5.5.2 Error: command not recognized'; 502 before 3.7, HISTORY 20210810).
    Entry {
        code: "X.5.2",
        title: "Syntax error",
        description: "A command could not be interpreted, because its syntax is wrong or it is unknown. The registry describes it as meaningful only for permanent failures.",
        when: "'500 5.5.2 Error: command not recognized' from Postfix 3.7 and later (older versions answered 502), '501 5.5.2 <bad_name>: Helo command rejected: Invalid name', and non-SMTP traffic (HTTP probes, scanners) on port 25.",
        fix: "If it comes from a real mail client, the sender's postmaster must fix it; scanners and probes can be ignored or blocked by the receiver.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lỗi cú pháp",
            description: "Không thể hiểu một lệnh vì sai cú pháp hoặc lệnh không tồn tại. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "'500 5.5.2 Error: command not recognized' từ Postfix 3.7 trở đi (các bản cũ hơn trả 502), '501 5.5.2 <bad_name>: Helo command rejected: Invalid name', và lưu lượng không phải SMTP (dò HTTP, máy quét) trên cổng 25.",
            fix: "Nếu mã này đến từ một trình gửi thư thật, quản trị thư phía gửi phải sửa nó; phía nhận có thể bỏ qua hoặc chặn các máy quét và dò cổng.",
        }),
    },
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('452 4.5.3 Error: too many recipients'); RFC 5321 section 4.5.3.1.10.
    Entry {
        code: "X.5.3",
        title: "Too many recipients",
        description: "More recipients were given than the server accepts in one transaction. Normally the client sends the rest in another transaction; the code is meant for when that is not possible.",
        when: "'452 4.5.3 Error: too many recipients' when Postfix's smtpd_recipient_limit is reached, and provider limits on recipients per message, often hit by bulk senders.",
        fix: "Sending MTAs split and retry automatically on 4.5.3. If applications get it when submitting, the sender should use fewer recipients per message or a list manager; the receiver may raise the limit.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Quá nhiều người nhận",
            description: "Số người nhận vượt quá mức máy chủ chấp nhận trong một giao dịch. Thông thường phía gửi sẽ gửi phần còn lại trong giao dịch khác; mã này dành cho trường hợp không thể làm vậy.",
            when: "'452 4.5.3 Error: too many recipients' khi đạt giới hạn smtpd_recipient_limit của Postfix, và giới hạn số người nhận mỗi thư của các nhà cung cấp, thường gặp với bên gửi hàng loạt.",
            fix: "MTA gửi sẽ tự chia nhỏ và thử lại khi gặp 4.5.3. Nếu ứng dụng gặp lỗi này khi gửi thư, người gửi nên giảm số người nhận mỗi thư hoặc dùng phần mềm quản lý danh sách; phía nhận có thể nâng giới hạn.",
        }),
    },
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry; Postfix
    // smtpd/smtpd.c ('555 5.5.4 Unsupported option: ...').
    Entry {
        code: "X.5.4",
        title: "Invalid command arguments",
        description: "A valid command was given arguments that are out of range or name unsupported features. The registry describes it as meaningful only for permanent failures.",
        when: "'555 5.5.4 Unsupported option: SMTPUTF8' for unknown MAIL or RCPT parameters, AUTH with an unsupported mechanism, and bad SIZE or BODY values.",
        fix: "The sender's postmaster should make the client use only the extensions and values announced in the EHLO reply.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Tham số lệnh không hợp lệ",
            description: "Một lệnh hợp lệ nhận tham số nằm ngoài phạm vi cho phép hoặc nêu tính năng không được hỗ trợ. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "'555 5.5.4 Unsupported option: SMTPUTF8' với tham số MAIL hoặc RCPT không được biết, AUTH với cơ chế không được hỗ trợ, và giá trị SIZE hay BODY sai.",
            fix: "Quản trị thư phía gửi nên để máy khách chỉ dùng những phần mở rộng và giá trị có trong phản hồi EHLO.",
        }),
    },
    // Source: RFC 3463 section 3.6; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.5.5",
        title: "Wrong protocol version",
        description: "The two sides use protocol versions that do not match and could not agree on one.",
        when: "Rare in SMTP logs; sometimes seen with LMTP and SMTP mixed up, or at gateways to other mail protocols.",
        fix: "Whichever side is misconfigured must switch to the expected protocol; check that the port and the transport (smtp or lmtp) match.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Sai phiên bản giao thức",
            description: "Hai phía dùng phiên bản giao thức không khớp nhau và không thống nhất được một phiên bản chung.",
            when: "Hiếm gặp trong nhật ký SMTP; đôi khi thấy khi nhầm lẫn giữa LMTP và SMTP, hoặc ở các cổng chuyển đổi sang giao thức thư khác.",
            fix: "Phía nào cấu hình sai phải chuyển sang đúng giao thức; hãy kiểm tra cổng và transport (smtp hay lmtp) có khớp nhau không.",
        }),
    },
    // Source: RFC 4954; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.5.6",
        title: "Authentication line too long",
        description: "A client response during AUTH was longer than the server's buffer for the selected mechanism, so authentication failed. It can be temporary or permanent.",
        when: "Rare; large Kerberos (GSSAPI) or OAuth tokens sent to servers with small line limits, answered with '500 5.5.6'.",
        fix: "The sender should try another mechanism or a shorter token; the receiver's postmaster may raise the line limit.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Dòng xác thực quá dài",
            description: "Một câu trả lời của máy khách trong quá trình AUTH dài hơn bộ đệm của máy chủ dành cho cơ chế đã chọn, nên xác thực thất bại. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Hiếm gặp; token Kerberos (GSSAPI) hoặc OAuth lớn gửi tới máy chủ có giới hạn độ dài dòng nhỏ, nhận câu trả lời '500 5.5.6'.",
            fix: "Người gửi nên thử cơ chế khác hoặc token ngắn hơn; quản trị thư phía nhận có thể nâng giới hạn độ dài dòng.",
        }),
    },
    // X.6.x: Message content or media status
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.0",
        title: "Other media error",
        description: "Something in the message content made it undeliverable, and no more specific code fits.",
        when: "Malformed MIME or header fields rejected by receivers, some content filter rejections, and blocked attachment types reported as 5.6.0.",
        fix: "The sender should check the message for malformed headers or MIME structure (often produced by a broken application) and resend it fixed.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lỗi nội dung khác",
            description: "Có điều gì đó trong nội dung thư khiến thư không chuyển được, và không có mã cụ thể hơn phù hợp.",
            when: "Phía nhận từ chối thư có cấu trúc MIME hoặc trường tiêu đề sai dạng, một số lần từ chối của bộ lọc nội dung, và loại tệp đính kèm bị chặn được báo bằng 5.6.0.",
            fix: "Người gửi nên kiểm tra thư xem có trường tiêu đề hay cấu trúc MIME sai dạng không (thường do ứng dụng lỗi tạo ra) rồi gửi lại bản đã sửa.",
        }),
    },
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.1",
        title: "Media not supported",
        description: "The media type of the message is not supported by the delivery protocol or by the next system in the path. The registry describes it as meaningful only for permanent failures.",
        when: "Rare; gateways to systems that cannot carry certain content types, and filters refusing some attachment types.",
        fix: "The sender should send the content in a supported format; the receiver's postmaster can adjust attachment policies.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Định dạng nội dung không được hỗ trợ",
            description: "Kiểu nội dung (media type) của thư không được giao thức chuyển thư hoặc hệ thống kế tiếp trên đường đi hỗ trợ. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "Hiếm gặp; cổng chuyển đổi sang những hệ thống không mang được một số kiểu nội dung, và bộ lọc từ chối một số loại tệp đính kèm.",
            fix: "Người gửi nên gửi nội dung ở định dạng được hỗ trợ; quản trị thư phía nhận có thể điều chỉnh chính sách về tệp đính kèm.",
        }),
    },
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.2",
        title: "Conversion required but prohibited",
        description: "The content would have to be converted before delivery, but conversion is forbidden, by the sender or by site policy.",
        when: "Rare; messages marked as not to be converted passing gateways that need 7-bit or other encodings.",
        fix: "The sender should send the content already in a suitable encoding, or allow conversion.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Cần chuyển đổi nhưng bị cấm",
            description: "Nội dung phải được chuyển đổi trước khi chuyển tới nơi, nhưng việc chuyển đổi bị cấm, do người gửi hoặc do chính sách của hệ thống.",
            when: "Hiếm gặp; thư được đánh dấu không được chuyển đổi đi qua cổng chuyển đổi cần mã hóa 7 bit hoặc kiểu mã hóa khác.",
            fix: "Người gửi nên gửi nội dung đã ở dạng mã hóa phù hợp, hoặc cho phép chuyển đổi.",
        }),
    },
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.3",
        title: "Conversion required but unsupported",
        description: "The content would have to be converted for the next hop, but the host cannot do it, for example 8-bit data for a server that only takes 7-bit.",
        when: "Old or restricted servers without 8BITMIME receiving 8-bit messages that the sending MTA cannot downgrade, and similar cases with binary content.",
        fix: "The sender's postmaster can allow MIME downgrading on the MTA; applications should produce properly encoded MIME (quoted-printable or base64).",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Cần chuyển đổi nhưng không làm được",
            description: "Nội dung phải được chuyển đổi cho chặng tiếp theo, nhưng máy chủ không làm được, ví dụ dữ liệu 8 bit gửi tới máy chủ chỉ nhận 7 bit.",
            when: "Máy chủ cũ hoặc bị giới hạn, không có 8BITMIME, nhận thư 8 bit mà MTA gửi không hạ xuống 7 bit được, và các trường hợp tương tự với nội dung nhị phân.",
            fix: "Quản trị thư phía gửi có thể cho phép MTA hạ cấp MIME; ứng dụng nên tạo MIME được mã hóa đúng cách (quoted-printable hoặc base64).",
        }),
    },
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.4",
        title: "Conversion with loss performed",
        description: "The message was delivered, but a conversion lost some data, so this is mostly a warning with the success class (2.6.4). It is a permanent failure if the sender forbade lossy conversion.",
        when: "Rare; gateways that strip or downgrade content, reported in delivery notifications.",
        fix: "Nothing for delivered mail; if the loss matters, the sender should resend in a format the destination supports.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Đã chuyển đổi nhưng mất dữ liệu",
            description: "Thư đã được chuyển tới nơi, nhưng một lần chuyển đổi làm mất một phần dữ liệu, nên mã này chủ yếu là cảnh báo đi với lớp thành công (2.6.4). Nó là lỗi vĩnh viễn nếu người gửi đã cấm chuyển đổi gây mất dữ liệu.",
            when: "Hiếm gặp; cổng chuyển đổi lược bỏ hoặc hạ cấp nội dung, được báo trong thông báo trạng thái chuyển thư.",
            fix: "Với thư đã tới nơi thì không cần làm gì; nếu phần bị mất là quan trọng, người gửi nên gửi lại ở định dạng mà phía đích hỗ trợ.",
        }),
    },
    // Source: RFC 3463 section 3.7; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.5",
        title: "Conversion failed",
        description: "A required conversion was attempted but did not succeed. It can be temporary or permanent.",
        when: "Gateways or filters failing to transcode content, such as character-set or MIME conversions.",
        fix: "The sender should try a simpler or more standard format; the receiver's postmaster should check the logs of the converting component.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Chuyển đổi thất bại",
            description: "Đã thử thực hiện một lần chuyển đổi bắt buộc nhưng không thành công. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Cổng chuyển đổi hoặc bộ lọc không chuyển mã được nội dung, như chuyển bảng mã ký tự hay chuyển đổi MIME.",
            fix: "Người gửi nên thử định dạng đơn giản hơn hoặc chuẩn hơn; quản trị thư phía nhận nên xem nhật ký của thành phần làm việc chuyển đổi.",
        }),
    },
    // Source: RFC 4468; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.6",
        title: "Message content not available",
        description: "The message content could not be fetched from a remote system, as when a message is submitted by reference with BURL. It can be temporary or permanent.",
        when: "Only on submission servers supporting BURL, when the IMAP server holding the content is unreachable or the URL is not valid.",
        fix: "The owner of the sending client must check the IMAP URL and the trust between the submission and IMAP servers; the receiver's postmaster checks connectivity between the two.",
        reference: "RFC 4468",
        vi: Some(ViTexts {
            title: "Không lấy được nội dung thư",
            description: "Không thể lấy nội dung thư từ một hệ thống khác, như khi thư được gửi theo kiểu tham chiếu bằng BURL. Có thể là lỗi tạm thời hoặc vĩnh viễn.",
            when: "Chỉ gặp trên máy chủ submission hỗ trợ BURL, khi máy chủ IMAP chứa nội dung không truy cập được hoặc URL không hợp lệ.",
            fix: "Người dùng trình gửi thư phải kiểm tra URL IMAP và quan hệ tin cậy giữa máy chủ submission và máy chủ IMAP; quản trị thư phía nhận kiểm tra kết nối giữa hai máy chủ đó.",
        }),
    },
    // Source: RFC 6531; IANA SMTP Enhanced Status Codes registry; Postfix smtp(8) SMTPUTF8 bounce
    // text.
    Entry {
        code: "X.6.7",
        title: "Non-ASCII addresses not permitted",
        description: "A MAIL or RCPT command used a non-ASCII (internationalised) address that is not allowed for this sender or recipient, typically because the path does not support SMTPUTF8.",
        when: "Postfix bounces saying 'SMTPUTF8 is required, but was not offered by host ...', and receivers without SMTPUTF8 support refusing addresses with non-ASCII characters.",
        fix: "The sender should use an ASCII address for this correspondent; the receiver's postmaster can enable SMTPUTF8 (Postfix smtputf8_enable, Exim smtputf8_advertise_hosts).",
        reference: "RFC 6531",
        vi: Some(ViTexts {
            title: "Không cho phép địa chỉ không phải ASCII",
            description: "Lệnh MAIL hoặc RCPT dùng địa chỉ có ký tự ngoài ASCII (địa chỉ quốc tế hóa) không được phép với người gửi hay người nhận này, thường vì đường đi không hỗ trợ SMTPUTF8.",
            when: "Postfix trả thư về với thông báo 'SMTPUTF8 is required, but was not offered by host ...', và phía nhận không hỗ trợ SMTPUTF8 từ chối địa chỉ có ký tự ngoài ASCII.",
            fix: "Người gửi nên dùng địa chỉ ASCII khi liên lạc với người này; quản trị thư phía nhận có thể bật SMTPUTF8 (smtputf8_enable của Postfix, smtputf8_advertise_hosts của Exim).",
        }),
    },
    // Source: RFC 6531; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.8",
        title: "UTF-8 reply not permitted",
        description: "A reply containing a UTF-8 string is needed to show a mailbox name, but the client did not enable SMTPUTF8, so that reply cannot be sent.",
        when: "Rare; VRFY or EXPN for internationalised mailboxes from clients without SMTPUTF8.",
        fix: "The client side should enable SMTPUTF8 or avoid commands that need a UTF-8 reply.",
        reference: "RFC 6531",
        vi: Some(ViTexts {
            title: "Không được trả lời bằng UTF-8",
            description: "Cần một phản hồi chứa chuỗi UTF-8 để hiển thị tên hộp thư, nhưng máy khách chưa bật SMTPUTF8 nên không thể gửi phản hồi đó.",
            when: "Hiếm gặp; lệnh VRFY hoặc EXPN cho hộp thư quốc tế hóa từ máy khách không dùng SMTPUTF8.",
            fix: "Phía máy khách nên bật SMTPUTF8 hoặc tránh các lệnh cần phản hồi UTF-8.",
        }),
    },
    // Source: RFC 6531; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.9",
        title: "UTF-8 header not transferable",
        description: "A message with UTF-8 header fields cannot be passed on to one or more recipients, so it has to be rejected; the failure comes after the end of the DATA phase.",
        when: "Internationalised messages routed to servers without SMTPUTF8 support, where the sending MTA cannot downgrade the header fields.",
        fix: "The sender should use ASCII header fields and addresses for that recipient; the receiver's postmaster can enable SMTPUTF8.",
        reference: "RFC 6531",
        vi: Some(ViTexts {
            title: "Không chuyển tiếp được tiêu đề UTF-8",
            description: "Thư có trường tiêu đề UTF-8 không thể chuyển tiếp tới một hoặc nhiều người nhận, nên phải bị từ chối; lỗi xảy ra sau khi kết thúc phần DATA.",
            when: "Thư quốc tế hóa được chuyển tới máy chủ không hỗ trợ SMTPUTF8, trong khi MTA gửi không hạ cấp được các trường tiêu đề.",
            fix: "Người gửi nên dùng trường tiêu đề và địa chỉ ASCII với người nhận đó; quản trị thư phía nhận có thể bật SMTPUTF8.",
        }),
    },
    // Source: RFC 6531; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.6.10",
        title: "UTF-8 reply refused (deprecated)",
        description: "Registered as a duplicate of X.6.8 and therefore deprecated; it has the same meaning.",
        when: "Practically never; software should send X.6.8 instead.",
        fix: "Treat it exactly like X.6.8.",
        reference: "RFC 6531",
        vi: Some(ViTexts {
            title: "Từ chối phản hồi UTF-8 (không còn dùng)",
            description: "Được đăng ký trùng với X.6.8 nên đã bị loại bỏ; ý nghĩa giống hệt X.6.8.",
            when: "Hầu như không bao giờ; phần mềm nên gửi X.6.8 thay thế.",
            fix: "Xử lý y như X.6.8.",
        }),
    },
    // X.7.x: Security or policy status
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry; RFC 4954 section 6
    // (235 2.7.0, 530 5.7.0, 454 4.7.0); RFC 3207 section 4; Postfix smtpd/smtpd.c.
    Entry {
        code: "X.7.0",
        title: "Other security or policy status",
        description: "Something related to security or policy caused this status and no more specific code fits, or the server will not say more because of its policy. As 2.7.0 it also marks a successful authentication.",
        when: "'235 2.7.0 Authentication successful', '530 5.7.0 Must issue a STARTTLS command first', '454 4.7.0 TLS not available due to local problem', and large providers rate-limiting or deferring senders with '421 4.7.0 ... Try again later'.",
        fix: "For 2.7.0, nothing. For failures, read the text: the sender's postmaster fixes TLS or authentication settings, or lowers the sending rate and checks reputation; the receiver's postmaster fixes local TLS problems.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Trạng thái bảo mật hoặc chính sách khác",
            description: "Có vấn đề liên quan tới bảo mật hoặc chính sách gây ra trạng thái này mà không có mã cụ thể hơn, hoặc máy chủ không muốn nói rõ hơn vì chính sách. Ở dạng 2.7.0, mã này còn báo xác thực thành công.",
            when: "'235 2.7.0 Authentication successful', '530 5.7.0 Must issue a STARTTLS command first', '454 4.7.0 TLS not available due to local problem', và các nhà cung cấp lớn giới hạn tốc độ hoặc hoãn bên gửi bằng '421 4.7.0 ... Try again later'.",
            fix: "Với 2.7.0 thì không cần làm gì. Với lỗi, hãy đọc phần chữ: quản trị thư phía gửi sửa cấu hình TLS hoặc xác thực, hoặc giảm tốc độ gửi và kiểm tra uy tín; quản trị phía nhận sửa sự cố TLS của mình.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry; Postfix 3.0+
    // smtpd/smtpd_check.c: 4.7.1 for 'cannot find your reverse hostname'
    // (reject_unknown_reverse_client_hostname), 4.7.25 for 'cannot find your hostname'; relay and
    // RBL replies 554 5.7.1.
    Entry {
        code: "X.7.1",
        title: "Delivery not authorized",
        description: "The sender is not allowed to send to this destination, because of per-host or per-recipient filtering such as relay rules, blocklists or access tables. RFC 3463 meant it as a permanent failure, but 4.7.1 is common too.",
        when: "'554 5.7.1 <user@example.org>: Relay access denied', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', access table rejections, spam rejections ('550 5.7.1 Message rejected as unsolicited mail'), and Postfix's reject_unknown_reverse_client_hostname ('450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]'; a hostname that does not resolve back to the IP gets 4.7.25 since Postfix 3.0).",
        fix: "The sender's postmaster should find which rule fired: authenticate for relaying, give the sending IP a PTR record (reverse DNS is the sender's to fix), request delisting after cleaning up, or ask the recipient to allowlist. The receiver's postmaster acts if their own rules block legitimate mail.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Không được phép gửi",
            description: "Bên gửi không được phép gửi tới đích này do bộ lọc theo máy hoặc theo người nhận, như quy tắc relay, danh sách chặn hoặc bảng truy cập. RFC 3463 dự định đây là lỗi vĩnh viễn, nhưng 4.7.1 cũng rất phổ biến.",
            when: "'554 5.7.1 <user@example.org>: Relay access denied', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', từ chối theo bảng truy cập, từ chối vì thư rác ('550 5.7.1 Message rejected as unsolicited mail'), và quy tắc reject_unknown_reverse_client_hostname của Postfix ('450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]'; từ Postfix 3.0, tên máy không trỏ ngược về đúng IP thì nhận mã 4.7.25).",
            fix: "Quản trị thư phía gửi nên tìm xem quy tắc nào đã chặn: xác thực để được relay, đặt bản ghi PTR cho IP gửi (DNS ngược là việc của phía gửi), xin gỡ khỏi danh sách chặn sau khi khắc phục, hoặc nhờ người nhận đưa vào danh sách cho phép. Quản trị phía nhận cần xử lý nếu quy tắc của mình chặn nhầm thư hợp lệ.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.2",
        title: "List expansion prohibited",
        description: "The sender is not allowed to post to the mailing list it addressed. The registry describes it as meaningful only for permanent failures.",
        when: "Posting to members-only or moderated lists and to restricted group aliases that accept only internal senders.",
        fix: "The sender should ask the list owner for permission or post from a subscribed address; the list owner changes the posting policy if needed.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Không được gửi tới danh sách thư",
            description: "Người gửi không được phép gửi bài tới danh sách thư mà mình đã gửi tới. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "Gửi bài tới danh sách chỉ dành cho thành viên hoặc có người kiểm duyệt, và tới bí danh nhóm bị hạn chế chỉ nhận thư từ người gửi nội bộ.",
            fix: "Người gửi nên xin phép chủ danh sách hoặc gửi từ địa chỉ đã đăng ký; chủ danh sách thay đổi chính sách gửi bài nếu cần.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.3",
        title: "Security conversion not possible",
        description: "Delivery needed a conversion from one secure messaging protocol to another, and that conversion was not possible. The registry describes it as meaningful only for permanent failures.",
        when: "Rare; gateways between different secure mail systems.",
        fix: "The sender should use a security format the recipient supports, or send without that protection.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Không thể chuyển đổi định dạng bảo mật",
            description: "Việc chuyển thư cần chuyển từ một giao thức thư bảo mật sang giao thức khác, và không thể thực hiện được. Theo sổ đăng ký, mã này chỉ có ý nghĩa như lỗi vĩnh viễn.",
            when: "Hiếm gặp; cổng chuyển đổi giữa các hệ thống thư bảo mật khác nhau.",
            fix: "Người gửi nên dùng định dạng bảo mật mà người nhận hỗ trợ, hoặc gửi không kèm lớp bảo vệ đó.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry; Postfix smtp(8) TLS
    // policy bounce text.
    Entry {
        code: "X.7.4",
        title: "Security features not supported",
        description: "The message or session asked for security features that the delivery protocol or the server cannot provide.",
        when: "A sending MTA that requires TLS towards a destination which does not offer it (Postfix 'TLS is required, but was not offered by host ...'), and clients asking for unsupported security features.",
        fix: "If TLS is required towards a destination, the receiver's postmaster must enable STARTTLS, or the sender's postmaster relaxes the policy for that domain (Postfix smtp_tls_policy_maps).",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Tính năng bảo mật không được hỗ trợ",
            description: "Thư hoặc phiên làm việc yêu cầu những tính năng bảo mật mà giao thức chuyển thư hay máy chủ không cung cấp được.",
            when: "MTA gửi bắt buộc TLS với một đích không hỗ trợ TLS (Postfix báo 'TLS is required, but was not offered by host ...'), và máy khách yêu cầu tính năng bảo mật không được hỗ trợ.",
            fix: "Nếu bắt buộc TLS với một đích, quản trị thư phía nhận phải bật STARTTLS, hoặc quản trị thư phía gửi nới lỏng chính sách cho tên miền đó (smtp_tls_policy_maps của Postfix).",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.5",
        title: "Cryptographic failure",
        description: "A system that should validate or decrypt the message could not do so, because a key or other required information was missing or invalid.",
        when: "TLS policy failures towards a destination, such as a certificate that fails DANE or MTA-STS checks (Postfix 'Server certificate not verified'), and decryption failures at secure gateways.",
        fix: "The receiver's postmaster should fix the certificate, the TLSA records or the MTA-STS policy; the sender's postmaster can review the TLS policy they enforce.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Lỗi mật mã",
            description: "Hệ thống cần kiểm tra hoặc giải mã thư không làm được, vì thiếu khóa hay thông tin cần thiết khác, hoặc thông tin đó không hợp lệ.",
            when: "Lỗi chính sách TLS khi gửi tới một đích, như chứng chỉ không qua được kiểm tra DANE hoặc MTA-STS (Postfix báo 'Server certificate not verified'), và lỗi giải mã ở các cổng thư bảo mật.",
            fix: "Quản trị thư phía nhận nên sửa chứng chỉ, bản ghi TLSA hoặc chính sách MTA-STS; quản trị thư phía gửi có thể xem lại chính sách TLS mình đang áp dụng.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.6",
        title: "Cryptographic algorithm not supported",
        description: "A system that should validate or decrypt the message could not do so, because it does not support the algorithm used.",
        when: "Rare; secure gateways meeting signature or encryption algorithms they do not support.",
        fix: "The sender should use a more widely supported algorithm; the receiving side can upgrade its cryptographic support.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Thuật toán mật mã không được hỗ trợ",
            description: "Hệ thống cần kiểm tra hoặc giải mã thư không làm được vì không hỗ trợ thuật toán đã dùng.",
            when: "Hiếm gặp; cổng thư bảo mật gặp thuật toán chữ ký hoặc mã hóa mà nó không hỗ trợ.",
            fix: "Người gửi nên dùng thuật toán được hỗ trợ rộng rãi hơn; phía nhận có thể nâng cấp khả năng mật mã của mình.",
        }),
    },
    // Source: RFC 3463 section 3.8; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.7",
        title: "Message integrity failure",
        description: "A system that should validate the message found it corrupted or altered. It may be used with the success, temporary or permanent class.",
        when: "Rare; signature checks at secure gateways, sometimes after a relay modified a signed message.",
        fix: "Find which hop altered the message (added footers, rewriting, content filters) and stop it; then the sender resends.",
        reference: "RFC 3463",
        vi: Some(ViTexts {
            title: "Thư bị hỏng hoặc bị sửa đổi",
            description: "Hệ thống cần kiểm tra thư phát hiện thư đã bị hỏng hoặc bị thay đổi. Mã này có thể đi với lớp thành công, tạm thời hoặc vĩnh viễn.",
            when: "Hiếm gặp; kiểm tra chữ ký ở cổng thư bảo mật, đôi khi sau khi một máy chuyển tiếp đã sửa thư có chữ ký.",
            fix: "Tìm chặng đã sửa thư (thêm chân thư, viết lại nội dung, bộ lọc nội dung) và ngăn việc đó lại; sau đó người gửi gửi lại.",
        }),
    },
    // Source: RFC 4954; IANA SMTP Enhanced Status Codes registry; Postfix smtpd/smtpd_sasl_glue.c
    // ('535 5.7.8 Error: authentication failed: ...').
    Entry {
        code: "X.7.8",
        title: "Authentication credentials invalid",
        description: "AUTH failed because the credentials were wrong or insufficient; the client should ask the user for new ones.",
        when: "'535 5.7.8 Error: authentication failed: ...' in Postfix for wrong passwords on submission, smarthost logins with stale passwords, and brute-force attempts by bots.",
        fix: "A legitimate sender must update the stored password (e.g. Postfix sasl_passwd, then postmap); the receiver's postmaster should block password-guessing sources.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Thông tin xác thực không hợp lệ",
            description: "AUTH thất bại vì thông tin đăng nhập sai hoặc không đủ; máy khách nên yêu cầu người dùng nhập lại.",
            when: "'535 5.7.8 Error: authentication failed: ...' ở Postfix khi sai mật khẩu trên cổng submission, đăng nhập smarthost bằng mật khẩu cũ, và các bot dò mật khẩu.",
            fix: "Người gửi hợp lệ phải cập nhật mật khẩu đã lưu (ví dụ sasl_passwd của Postfix rồi chạy postmap); quản trị thư phía nhận nên chặn các nguồn dò mật khẩu.",
        }),
    },
    // Source: RFC 4954; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.9",
        title: "Authentication mechanism too weak",
        description: "The selected AUTH mechanism is weaker than the server's policy allows for that user; the client should try a different one.",
        when: "'534 5.7.9' replies, including providers that demand an app password or OAuth instead of the account password.",
        fix: "The sender should switch to a mechanism or credential type that the server accepts.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cơ chế xác thực quá yếu",
            description: "Cơ chế AUTH đã chọn yếu hơn mức chính sách của máy chủ cho phép với người dùng đó; máy khách nên thử cơ chế khác.",
            when: "Các phản hồi '534 5.7.9', kể cả từ những nhà cung cấp đòi mật khẩu ứng dụng hoặc OAuth thay cho mật khẩu tài khoản.",
            fix: "Người gửi nên chuyển sang cơ chế hoặc loại thông tin đăng nhập mà máy chủ chấp nhận.",
        }),
    },
    // Source: RFC 5248; IANA SMTP Enhanced Status Codes registry; RFC 5248 registers it with basic
    // code 523.
    Entry {
        code: "X.7.10",
        title: "Encryption needed",
        description: "The requested authentication mechanism needs a strong privacy layer such as TLS first; it is mainly meant for clear-text mechanisms.",
        when: "Clients trying PLAIN or LOGIN before STARTTLS on servers that forbid it; the registry pairs it with basic code 523 ('523 5.7.10 Encryption needed').",
        fix: "The sender's postmaster should enable STARTTLS (or implicit TLS) before AUTH, or use a stronger mechanism.",
        reference: "RFC 5248",
        vi: Some(ViTexts {
            title: "Cần mã hóa",
            description: "Cơ chế xác thực được yêu cầu cần có trước một lớp bảo mật mạnh như TLS; mã này chủ yếu dành cho các cơ chế gửi mật khẩu dạng rõ.",
            when: "Máy khách dùng PLAIN hoặc LOGIN trước STARTTLS trên máy chủ không cho phép điều đó; sổ đăng ký ghép mã này với mã cơ bản 523 ('523 5.7.10 Encryption needed').",
            fix: "Quản trị thư phía gửi nên bật STARTTLS (hoặc TLS ngay từ đầu) trước AUTH, hoặc dùng cơ chế mạnh hơn.",
        }),
    },
    // Source: RFC 4954; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.11",
        title: "Encryption required for mechanism",
        description: "The selected AUTH mechanism may only be used over an encrypted connection. It is kept mostly for historical reasons, since servers should not offer such mechanisms before TLS.",
        when: "'538 5.7.11' replies to AUTH over an unencrypted session.",
        fix: "The sender's postmaster should start TLS before authenticating.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cơ chế cần kết nối được mã hóa",
            description: "Cơ chế AUTH đã chọn chỉ được dùng trên kết nối đã mã hóa. Mã này được giữ lại chủ yếu vì lý do lịch sử, vì máy chủ không nên đưa ra các cơ chế như vậy trước khi có TLS.",
            when: "Phản hồi '538 5.7.11' cho lệnh AUTH trên phiên chưa mã hóa.",
            fix: "Quản trị thư phía gửi nên bật TLS trước khi xác thực.",
        }),
    },
    // Source: RFC 4954; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.12",
        title: "Password transition needed",
        description: "The user must authenticate once with the PLAIN mechanism so that the server can switch the account to the selected mechanism. Used as a temporary failure (4.7.12) with basic code 432.",
        when: "Rare; submission servers after a change in how passwords are stored.",
        fix: "The user on the sending side should log in once with PLAIN over TLS; later sessions will work with the chosen mechanism.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cần chuyển đổi mật khẩu",
            description: "Người dùng phải xác thực một lần bằng cơ chế PLAIN để máy chủ chuyển tài khoản sang cơ chế đã chọn. Được dùng như lỗi tạm thời (4.7.12) với mã cơ bản 432.",
            when: "Hiếm gặp; máy chủ submission sau khi thay đổi cách lưu mật khẩu.",
            fix: "Người dùng ở phía gửi nên đăng nhập một lần bằng PLAIN qua TLS; các phiên sau sẽ hoạt động với cơ chế đã chọn.",
        }),
    },
    // Source: RFC 5248; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.13",
        title: "User account disabled",
        description: "Authentication succeeded but the account is disabled, for example for non-payment or abuse; the failure lasts until an administrator re-enables it.",
        when: "Submission servers refusing suspended accounts, and some providers using 5.7.13 for disabled mailboxes.",
        fix: "The account owner must contact their provider or postmaster; retrying or re-entering the password will not help.",
        reference: "RFC 5248",
        vi: Some(ViTexts {
            title: "Tài khoản người dùng bị vô hiệu hóa",
            description: "Xác thực thành công nhưng tài khoản đã bị vô hiệu hóa, ví dụ vì chưa thanh toán hoặc vì lạm dụng; lỗi còn cho tới khi quản trị viên kích hoạt lại.",
            when: "Máy chủ submission từ chối tài khoản bị đình chỉ, và một số nhà cung cấp dùng 5.7.13 cho hộp thư bị vô hiệu hóa.",
            fix: "Chủ tài khoản phải liên hệ nhà cung cấp hoặc quản trị thư; thử lại hay nhập lại mật khẩu đều không có tác dụng.",
        }),
    },
    // Source: RFC 5248; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.14",
        title: "Trust relationship required",
        description: "The submission server needs a configured trust relationship with a third-party server to fetch the message content, as with BURL; it replaces the earlier use of X.7.8 for that case.",
        when: "Only on servers supporting BURL submission, when the IMAP server and the submission server are not set up to trust each other.",
        fix: "The postmaster of the submission and IMAP servers must configure the trust relationship between them.",
        reference: "RFC 5248",
        vi: Some(ViTexts {
            title: "Cần quan hệ tin cậy",
            description: "Máy chủ submission cần một quan hệ tin cậy đã cấu hình với máy chủ bên ngoài để lấy nội dung thư, như với BURL; mã này thay cho cách dùng X.7.8 trước đây trong trường hợp đó.",
            when: "Chỉ gặp trên máy chủ hỗ trợ gửi thư bằng BURL, khi máy chủ IMAP và máy chủ submission chưa được thiết lập để tin cậy nhau.",
            fix: "Quản trị của máy chủ submission và máy chủ IMAP phải cấu hình quan hệ tin cậy giữa hai máy chủ.",
        }),
    },
    // Source: RFC 6710; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.15",
        title: "Priority level too low",
        description: "The priority requested with MT-PRIORITY is below what the server currently accepts; it may be temporary, for example while only high-priority mail is taken.",
        when: "Only on servers supporting the MT-PRIORITY extension, mostly in special networks.",
        fix: "The sender may retry later, or with a higher priority if allowed to use one.",
        reference: "RFC 6710",
        vi: Some(ViTexts {
            title: "Mức ưu tiên quá thấp",
            description: "Độ ưu tiên yêu cầu bằng MT-PRIORITY thấp hơn mức máy chủ đang chấp nhận; có thể chỉ là tạm thời, ví dụ khi máy chủ chỉ nhận thư có độ ưu tiên cao.",
            when: "Chỉ gặp trên máy chủ hỗ trợ phần mở rộng MT-PRIORITY, chủ yếu trong các mạng chuyên dụng.",
            fix: "Người gửi có thể thử lại sau, hoặc dùng độ ưu tiên cao hơn nếu được phép.",
        }),
    },
    // Source: RFC 6710; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.16",
        title: "Too big for priority",
        description: "The message is too large for its MT-PRIORITY level; this may be temporary, when only smaller high-priority messages are being accepted.",
        when: "Only on servers supporting the MT-PRIORITY extension.",
        fix: "The sender should send a smaller message or retry later.",
        reference: "RFC 6710",
        vi: Some(ViTexts {
            title: "Thư quá lớn so với mức ưu tiên",
            description: "Thư quá lớn đối với mức ưu tiên MT-PRIORITY của nó; có thể chỉ là tạm thời, khi máy chủ chỉ nhận các thư ưu tiên cao có kích thước nhỏ.",
            when: "Chỉ gặp trên máy chủ hỗ trợ phần mở rộng MT-PRIORITY.",
            fix: "Người gửi nên gửi thư nhỏ hơn hoặc thử lại sau.",
        }),
    },
    // Source: RFC 7293; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.17",
        title: "Mailbox owner has changed",
        description: "The message asked (with RRVS) that the recipient mailbox have had the same owner since a given date, and it has not. The message is refused so that it does not reach the new owner.",
        when: "Rare; only with senders using the RRVS extension or the Require-Recipient-Valid-Since header field, such as account notices from large services.",
        fix: "The sender should treat the address as no longer belonging to the intended person and update its records.",
        reference: "RFC 7293",
        vi: Some(ViTexts {
            title: "Chủ hộp thư đã thay đổi",
            description: "Thư yêu cầu (bằng RRVS) rằng hộp thư người nhận phải thuộc cùng một chủ kể từ một ngày cho trước, nhưng điều đó không đúng. Thư bị từ chối để không tới tay chủ mới.",
            when: "Hiếm gặp; chỉ với người gửi dùng phần mở rộng RRVS hoặc trường tiêu đề Require-Recipient-Valid-Since, như thông báo tài khoản từ các dịch vụ lớn.",
            fix: "Người gửi nên coi địa chỉ này không còn thuộc về người cần liên lạc và cập nhật dữ liệu của mình.",
        }),
    },
    // Source: RFC 7293; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.18",
        title: "Domain owner has changed",
        description: "With RRVS, the receiver reports that the recipient's domain has changed owner since the given date.",
        when: "Rare; RRVS-aware senders mailing addresses in domains that were registered again by someone else.",
        fix: "The sender should stop using the address and confirm the contact another way.",
        reference: "RFC 7293",
        vi: Some(ViTexts {
            title: "Chủ tên miền đã thay đổi",
            description: "Với RRVS, phía nhận báo rằng tên miền của người nhận đã đổi chủ kể từ ngày cho trước.",
            when: "Hiếm gặp; người gửi hỗ trợ RRVS gửi tới địa chỉ thuộc tên miền đã bị người khác đăng ký lại.",
            fix: "Người gửi nên thôi dùng địa chỉ này và xác nhận lại cách liên lạc bằng đường khác.",
        }),
    },
    // Source: RFC 7293; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.19",
        title: "RRVS test not completed",
        description: "With RRVS, the receiver cannot evaluate the request because it has no record of when the mailbox was created or changed hands.",
        when: "Rare; RRVS-aware senders and receivers that keep no ownership timestamps.",
        fix: "The sender decides whether to resend without RRVS protection.",
        reference: "RFC 7293",
        vi: Some(ViTexts {
            title: "Không hoàn tất được kiểm tra RRVS",
            description: "Với RRVS, phía nhận không đánh giá được yêu cầu vì không lưu thời điểm hộp thư được tạo ra hay đổi chủ.",
            when: "Hiếm gặp; người gửi và người nhận có hỗ trợ RRVS nhưng phía nhận không lưu mốc thời gian về chủ sở hữu.",
            fix: "Người gửi tự quyết định có gửi lại mà không dùng RRVS hay không.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.20",
        title: "No passing DKIM signature",
        description: "The message carried no DKIM signature that verified, and local policy requires one.",
        when: "Receivers enforcing DKIM for some senders, and signatures broken by forwarding, mailing lists or content rewriting.",
        fix: "The sender's postmaster should sign outgoing mail with DKIM and check that the published key matches; where forwarding breaks signatures, the forwarder should add ARC or re-sign.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Không có chữ ký DKIM hợp lệ",
            description: "Thư không có chữ ký DKIM nào kiểm tra thành công, trong khi chính sách cục bộ yêu cầu phải có.",
            when: "Phía nhận bắt buộc DKIM đối với một số bên gửi, và chữ ký bị hỏng do chuyển tiếp, danh sách thư hoặc việc viết lại nội dung.",
            fix: "Quản trị thư phía gửi nên ký DKIM cho thư gửi đi và kiểm tra khóa đã công bố có khớp không; khi việc chuyển tiếp làm hỏng chữ ký, máy chuyển tiếp nên thêm ARC hoặc ký lại.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.21",
        title: "No acceptable DKIM signature",
        description: "The message has valid DKIM signatures, but none is acceptable under local policy, for example because the signing domain is not the expected one.",
        when: "Receivers expecting signatures from a specific domain, e.g. mail sent through a third-party service that signs with its own domain.",
        fix: "The sender's postmaster should set up DKIM signing with the sender's own domain at the sending service.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Không có chữ ký DKIM chấp nhận được",
            description: "Thư có chữ ký DKIM hợp lệ, nhưng không chữ ký nào được chấp nhận theo chính sách cục bộ, ví dụ vì tên miền ký không phải tên miền mong đợi.",
            when: "Phía nhận chờ chữ ký từ một tên miền cụ thể, ví dụ thư gửi qua dịch vụ bên thứ ba ký bằng tên miền của chính dịch vụ đó.",
            fix: "Quản trị thư phía gửi nên thiết lập ký DKIM bằng tên miền của chính người gửi tại dịch vụ gửi thư.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.22",
        title: "No author-matched DKIM signature",
        description: "There are valid DKIM signatures, but none from a domain matching the author address in the From header field; a special case of X.7.21.",
        when: "Third-party senders signing with their own domain while the From header field uses the customer's domain.",
        fix: "The sender's postmaster should set up DKIM so that the signing domain (d=) matches the From domain.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Không có chữ ký DKIM khớp với tác giả",
            description: "Thư có chữ ký DKIM hợp lệ, nhưng không chữ ký nào thuộc tên miền khớp với địa chỉ tác giả trong trường tiêu đề From; đây là trường hợp riêng của X.7.21.",
            when: "Bên gửi thứ ba ký bằng tên miền của họ trong khi trường tiêu đề From dùng tên miền của khách hàng.",
            fix: "Quản trị thư phía gửi nên thiết lập DKIM sao cho tên miền ký (d=) khớp với tên miền trong From.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.23",
        title: "SPF validation failed",
        description: "The SPF check gave a 'fail' result and local policy rejects such mail; this code is used instead of the generic 5.7.1.",
        when: "SPF policy services or Exim SPF ACLs rejecting mail from IPs not listed in the sender domain's SPF record, common after moving to a new mail provider, when sending through an unlisted relay, and with forwarded mail.",
        fix: "The sender's postmaster should add every legitimate sending IP or include: mechanism to the domain's SPF record; forwarders should rewrite the envelope sender (SRS).",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Kiểm tra SPF thất bại",
            description: "Kiểm tra SPF cho kết quả 'fail' và chính sách cục bộ từ chối những thư như vậy; mã này được dùng thay cho mã chung 5.7.1.",
            when: "Dịch vụ chính sách SPF hoặc ACL SPF của Exim từ chối thư gửi từ IP không có trong bản ghi SPF của tên miền gửi, hay gặp sau khi chuyển sang nhà cung cấp thư mới, khi gửi qua máy chuyển tiếp chưa được khai báo, và với thư được chuyển tiếp (forward).",
            fix: "Quản trị thư phía gửi nên thêm mọi IP gửi hợp lệ hoặc cơ chế include: vào bản ghi SPF của tên miền; máy chuyển tiếp nên viết lại địa chỉ người gửi trên phong bì (SRS).",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.24",
        title: "SPF validation error",
        description: "Evaluating SPF for the message produced an error, such as a temporary DNS failure or a broken SPF record, rather than a pass or fail result.",
        when: "4.7.24 when the sender domain's DNS times out during the SPF check, and 5.7.24 for permanent errors such as syntax errors or too many DNS lookups in the SPF record.",
        fix: "The sender domain's postmaster should validate the SPF record (correct syntax, at most 10 terms that cause DNS lookups) and the health of its name servers.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Lỗi khi kiểm tra SPF",
            description: "Việc đánh giá SPF cho thư gặp lỗi, như lỗi DNS tạm thời hoặc bản ghi SPF bị hỏng, thay vì cho kết quả đạt hay không đạt.",
            when: "4.7.24 khi DNS của tên miền gửi quá thời gian trong lúc kiểm tra SPF, và 5.7.24 cho lỗi vĩnh viễn như sai cú pháp hoặc quá nhiều lượt tra DNS trong bản ghi SPF.",
            fix: "Quản trị thư của tên miền gửi nên kiểm tra bản ghi SPF (đúng cú pháp, tối đa 10 thành phần gây tra cứu DNS) và tình trạng các máy chủ tên miền của mình.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry; Postfix 3.0+ smtpd/smtpd_check.c
    // reject_unknown_client (4.7.25 with unknown_client_reject_code, default 450; HISTORY
    // 20140917); Gmail's PTR reply text.
    Entry {
        code: "X.7.25",
        title: "Reverse DNS validation failed",
        description: "The sending IP address failed a reverse DNS check required by local policy, for example it has no PTR record or the PTR name does not resolve back to the IP.",
        when: "Postfix's reject_unknown_client_hostname since Postfix 3.0 ('450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.1]'; 450 is only the default of unknown_client_reject_code, and the answer repeats until the DNS is fixed), and large providers rejecting mail from IPs without matching forward and reverse DNS ('550 5.7.25 The IP address sending this message does not have a PTR record setup'), typical for new servers and cloud hosts.",
        fix: "The sender's postmaster must ask the owner of the IP range (ISP or cloud provider) to set a PTR record naming the server, with a matching A or AAAA record.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Kiểm tra DNS ngược thất bại",
            description: "Địa chỉ IP gửi không vượt qua kiểm tra DNS ngược mà chính sách yêu cầu, ví dụ không có bản ghi PTR hoặc tên trong PTR không trỏ ngược về đúng IP đó.",
            when: "Quy tắc reject_unknown_client_hostname của Postfix từ bản 3.0 ('450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.1]'; 450 chỉ là giá trị mặc định của unknown_client_reject_code, và câu trả lời lặp lại cho tới khi DNS được sửa), và các nhà cung cấp lớn từ chối thư từ IP không có DNS xuôi và ngược khớp nhau ('550 5.7.25 The IP address sending this message does not have a PTR record setup'), thường gặp với máy chủ mới hoặc máy chủ trên đám mây.",
            fix: "Quản trị thư phía gửi phải nhờ bên sở hữu dải IP (nhà mạng hoặc nhà cung cấp đám mây) đặt bản ghi PTR mang tên máy chủ, kèm bản ghi A hoặc AAAA khớp với tên đó.",
        }),
    },
    // Source: RFC 7372; IANA SMTP Enhanced Status Codes registry; Gmail's DMARC reply text.
    Entry {
        code: "X.7.26",
        title: "Multiple authentication checks failed",
        description: "The message failed more than one authentication check (such as SPF and DKIM) under local policy; the code does not say which ones.",
        when: "DMARC-style rejections at large providers ('550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy'), and bulk-sender rules that require authenticated mail.",
        fix: "The sender's postmaster must publish a correct SPF record and sign with DKIM aligned with the From domain, then watch the DMARC reports; forwarders should use ARC or SRS.",
        reference: "RFC 7372",
        vi: Some(ViTexts {
            title: "Nhiều kiểm tra xác thực thất bại",
            description: "Thư không vượt qua nhiều hơn một kiểm tra xác thực (như SPF và DKIM) theo chính sách cục bộ; mã này không cho biết cụ thể là những kiểm tra nào.",
            when: "Các nhà cung cấp lớn từ chối theo kiểu DMARC ('550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy'), và quy định bắt buộc thư phải được xác thực đối với bên gửi hàng loạt.",
            fix: "Quản trị thư phía gửi phải công bố bản ghi SPF đúng và ký DKIM khớp với tên miền trong From, sau đó theo dõi báo cáo DMARC; máy chuyển tiếp nên dùng ARC hoặc SRS.",
        }),
    },
    // Source: RFC 7505; IANA SMTP Enhanced Status Codes registry; RFC 7505 section 4.2; Postfix
    // smtpd/smtpd_dns_filter.ref ('550 5.7.27 ... (nullMX)').
    Entry {
        code: "X.7.27",
        title: "Sender domain has null MX",
        description: "The sender's domain publishes a null MX, so it cannot receive bounces, and the receiver refuses mail from it. Registered for permanent failures (5.7.27), usually with basic code 550.",
        when: "Postfix '550 5.7.27 <user@example.com>: Sender address rejected: Domain example.com does not accept mail (nullMX)' for applications sending from parked or no-mail domains.",
        fix: "The sender's postmaster should send from a domain that can receive mail, or replace the null MX with real MX records.",
        reference: "RFC 7505",
        vi: Some(ViTexts {
            title: "Tên miền người gửi có null MX",
            description: "Tên miền người gửi công bố null MX nên không nhận được thư báo lỗi, và phía nhận từ chối thư từ tên miền đó. Được đăng ký cho lỗi vĩnh viễn (5.7.27), thường đi với mã cơ bản 550.",
            when: "Postfix trả '550 5.7.27 <user@example.com>: Sender address rejected: Domain example.com does not accept mail (nullMX)' cho các ứng dụng gửi thư từ tên miền giữ chỗ hoặc tên miền không dùng cho thư.",
            fix: "Quản trị thư phía gửi nên gửi từ một tên miền có nhận thư, hoặc thay null MX bằng bản ghi MX thật.",
        }),
    },
    // Source: IANA SMTP Enhanced Status Codes registry; Gmail's rate reply text.
    Entry {
        code: "X.7.28",
        title: "Mail flood detected",
        description: "The message looks like part of a flood of similar abusive messages, and the receiver refuses or defers it.",
        when: "Large providers throttling or blocking a sending IP after a burst of unwanted mail ('421 4.7.28 ... unusual rate of unsolicited mail'), often after an account or a web form was abused to send spam.",
        fix: "The sender's postmaster should find and stop the source of the volume (compromised account, abused form, list without consent), then lower the rate; the block usually lifts once the flood stops.",
        reference: "IANA SMTP Enhanced Status Codes registry",
        vi: Some(ViTexts {
            title: "Phát hiện thư gửi ồ ạt",
            description: "Thư có vẻ thuộc một đợt gửi ồ ạt các thư lạm dụng giống nhau, và phía nhận từ chối hoặc hoãn nhận thư.",
            when: "Các nhà cung cấp lớn hạn chế hoặc chặn IP gửi sau một loạt thư không mong muốn ('421 4.7.28 ... unusual rate of unsolicited mail'), thường do tài khoản hoặc biểu mẫu web bị lợi dụng để gửi thư rác.",
            fix: "Quản trị thư phía gửi nên tìm và chặn nguồn gửi ồ ạt (tài khoản bị chiếm, biểu mẫu bị lạm dụng, danh sách không có sự đồng ý), rồi giảm tốc độ gửi; lệnh chặn thường được gỡ khi đợt gửi dừng lại.",
        }),
    },
    // Source: RFC 8617; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.29",
        title: "ARC validation failure",
        description: "The message failed validation of its ARC (Authenticated Received Chain) header fields, which carry authentication results across forwarding hops.",
        when: "Rare; receivers that require a valid ARC chain from forwarders or mailing lists.",
        fix: "The postmaster of the forwarding or list server must fix its ARC signing (keys, DNS records, header handling).",
        reference: "RFC 8617",
        vi: Some(ViTexts {
            title: "Kiểm tra ARC thất bại",
            description: "Thư không qua được kiểm tra các trường tiêu đề ARC (Authenticated Received Chain), là những trường mang kết quả xác thực qua các chặng chuyển tiếp.",
            when: "Hiếm gặp; phía nhận yêu cầu chuỗi ARC hợp lệ từ máy chuyển tiếp hoặc danh sách thư.",
            fix: "Quản trị của máy chuyển tiếp hoặc máy chủ danh sách thư phải sửa việc ký ARC (khóa, bản ghi DNS, cách xử lý trường tiêu đề).",
        }),
    },
    // Source: RFC 8689; IANA SMTP Enhanced Status Codes registry.
    Entry {
        code: "X.7.30",
        title: "REQUIRETLS support required",
        description: "The message was sent with the REQUIRETLS option, and it cannot be passed on because the next hop does not support REQUIRETLS over a properly verified TLS connection.",
        when: "Rare; only for senders using REQUIRETLS and a path on which some server lacks the extension.",
        fix: "The sender can resend without REQUIRETLS if that is acceptable; otherwise the receiver's postmaster must support REQUIRETLS with valid TLS.",
        reference: "RFC 8689",
        vi: Some(ViTexts {
            title: "Cần hỗ trợ REQUIRETLS",
            description: "Thư được gửi với tùy chọn REQUIRETLS, và không thể chuyển tiếp vì chặng kế tiếp không hỗ trợ REQUIRETLS trên một kết nối TLS được xác minh đúng cách.",
            when: "Hiếm gặp; chỉ với người gửi dùng REQUIRETLS và đường đi có máy chủ thiếu phần mở rộng này.",
            fix: "Người gửi có thể gửi lại không kèm REQUIRETLS nếu chấp nhận được; nếu không, quản trị thư phía nhận phải hỗ trợ REQUIRETLS với TLS hợp lệ.",
        }),
    },
];
