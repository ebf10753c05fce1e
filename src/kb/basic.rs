//! Basic reply codes: every code of RFC 5321, RFC 7504's 521 and 556, and the AUTH codes of
//! RFC 4954. Each entry names its sources in a comment; texts are the project's own words.

use super::{Entry, ViTexts};

/// Basic reply codes, sorted ascending by code.
pub static BASIC: &[Entry] = &[
    // Source: RFC 5321 sections 4.2.2 and 4.2.3 (reply list), 4.1.1.8 (HELP).
    Entry {
        code: "211",
        title: "System status or help",
        description: "A reply to a request for status or help that carries information about the server or its state. It reports no error and changes nothing in the mail transaction.",
        when: "Almost never in Postfix or Exim delivery logs; it only shows up in manual SMTP sessions or in monitoring scripts that send HELP or similar informational commands.",
        fix: "Nothing to do on either side; it is informational only.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Trạng thái hoặc trợ giúp hệ thống",
            description: "Phản hồi cho yêu cầu thông tin về trạng thái hoặc trợ giúp của máy chủ. Mã này không báo lỗi và không ảnh hưởng đến giao dịch thư.",
            when: "Hầu như không xuất hiện trong nhật ký gửi thư của Postfix hay Exim; chỉ gặp khi thử SMTP thủ công hoặc khi script giám sát gửi lệnh HELP hay lệnh thông tin tương tự.",
            fix: "Không cần làm gì ở cả phía gửi lẫn phía nhận; đây chỉ là thông tin.",
        }),
    },
    // Source: RFC 5321 sections 4.2.2 and 4.1.1.8 (HELP).
    Entry {
        code: "214",
        title: "Help message",
        description: "Human-readable help text, usually sent in answer to the HELP command. It may describe the server or how to use a command.",
        when: "Only in interactive or scripted SMTP sessions that send HELP; real deliveries between MTAs do not produce it.",
        fix: "Nothing to do; it is the normal answer to HELP.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Thông điệp trợ giúp",
            description: "Văn bản trợ giúp dành cho người đọc, thường được gửi để trả lời lệnh HELP. Nội dung có thể mô tả máy chủ hoặc cách dùng một lệnh.",
            when: "Chỉ gặp trong phiên SMTP tương tác hoặc do script gửi lệnh HELP; việc chuyển thư thật giữa các MTA không tạo ra mã này.",
            fix: "Không cần làm gì; đây là câu trả lời bình thường cho lệnh HELP.",
        }),
    },
    // Source: RFC 5321 sections 3.1 and 4.2.3 (greeting); RFC 3207 section 4 (answer to STARTTLS);
    // Postfix 3.x smtpd/smtpd.c ('220 2.0.0 Ready to start TLS'). RFC 2034 section 3: no enhanced
    // code in the greeting.
    Entry {
        code: "220",
        title: "Service ready",
        description: "The server is ready to talk SMTP; it is the greeting banner sent when a connection opens. The same code also answers STARTTLS to say that the TLS handshake may begin.",
        when: "Every successful connection starts with it, e.g. '220 mx.example.com ESMTP Postfix'; it is rarely logged on its own but appears in verbose logs, session transcripts and as '220 2.0.0 Ready to start TLS'.",
        fix: "Nothing to do; it means the connection was accepted.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Dịch vụ sẵn sàng",
            description: "Máy chủ đã sẵn sàng giao tiếp SMTP; đây là lời chào gửi ngay khi kết nối được mở. Mã này cũng dùng để trả lời STARTTLS, báo rằng có thể bắt đầu bắt tay TLS.",
            when: "Mọi kết nối thành công đều bắt đầu bằng mã này, ví dụ '220 mx.example.com ESMTP Postfix'; nó ít khi được ghi riêng vào nhật ký nhưng có trong nhật ký chi tiết, bản ghi phiên SMTP và ở dạng '220 2.0.0 Ready to start TLS'.",
            fix: "Không cần làm gì; mã này cho biết kết nối đã được chấp nhận.",
        }),
    },
    // Source: RFC 5321 sections 3.8 (a server closes only after QUIT, with 421, or on a timeout)
    // and 4.1.1.10 (QUIT).
    Entry {
        code: "221",
        title: "Closing connection",
        description: "The server is closing the transmission channel in an orderly way. It is the expected answer to QUIT.",
        when: "At the end of every normal session, typically '221 2.0.0 Bye'. RFC 5321 lets a server end a session on its own only after QUIT, with 421 (service shutting down), or after a timeout; a 221 sent without a QUIT is outside the RFC.",
        fix: "Nothing to do; it is the normal answer to QUIT.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Đóng kết nối",
            description: "Máy chủ đang đóng kênh truyền một cách bình thường. Đây là câu trả lời mong đợi cho lệnh QUIT.",
            when: "Ở cuối mỗi phiên bình thường, thường là '221 2.0.0 Bye'. RFC 5321 chỉ cho phép máy chủ tự kết thúc phiên sau lệnh QUIT, bằng mã 421 (dịch vụ sắp ngừng) hoặc khi hết thời gian chờ; gửi 221 khi không có QUIT là làm trái RFC.",
            fix: "Không cần làm gì; đây là câu trả lời bình thường cho lệnh QUIT.",
        }),
    },
    // Source: RFC 4954 section 6 (235 2.7.0); Postfix smtpd_sasl_glue.c logs sasl_method= and
    // sasl_username=.
    Entry {
        code: "235",
        title: "Authentication succeeded",
        description: "The client's SMTP AUTH exchange succeeded; the session now carries the authenticated identity. Usually paired with enhanced code 2.7.0.",
        when: "On submission ports (587, 465) when a mail client or a relay logs in; Postfix logs the result as sasl_method= and sasl_username= on the smtpd line rather than the code.",
        fix: "Nothing to do. If logins succeed for accounts that should not send mail, the receiving postmaster should check for stolen passwords.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Xác thực thành công",
            description: "Quá trình xác thực SMTP AUTH của máy khách đã thành công; phiên làm việc từ đây mang danh tính đã xác thực. Thường đi kèm mã nâng cao 2.7.0.",
            when: "Gặp trên cổng gửi thư (587, 465) khi chương trình thư hoặc máy chuyển tiếp đăng nhập; Postfix ghi kết quả dưới dạng sasl_method= và sasl_username= trên dòng smtpd thay vì ghi mã.",
            fix: "Không cần làm gì. Nếu các tài khoản không được phép gửi thư vẫn đăng nhập thành công, quản trị thư phía nhận nên kiểm tra khả năng bị lộ mật khẩu.",
        }),
    },
    // Source: RFC 5321 sections 4.2.2, 4.2.5 (responsibility after the end of DATA); Postfix
    // smtp(8) 'status=sent' log line.
    Entry {
        code: "250",
        title: "Requested action completed",
        description: "The command succeeded. After the final dot of DATA it means the receiving server has taken responsibility for the message.",
        when: "In every successful delivery: Postfix logs 'status=sent (250 2.0.0 Ok: queued as ...)' and Exim logs a '=>' line with the remote confirmation in C=; it is also the answer to EHLO, MAIL, RCPT and RSET.",
        fix: "Nothing to do; the message or command was accepted. If the recipient says the message never arrived, look on the receiving side (spam folder, filters) using the queue ID from the 250 reply.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Hoàn tất thao tác được yêu cầu",
            description: "Lệnh đã thành công. Sau dấu chấm kết thúc DATA, mã này có nghĩa là máy chủ nhận đã nhận trách nhiệm với bức thư.",
            when: "Trong mọi lần gửi thành công: Postfix ghi 'status=sent (250 2.0.0 Ok: queued as ...)', Exim ghi dòng '=>' kèm xác nhận của máy chủ đích trong trường C=; mã này cũng là câu trả lời cho EHLO, MAIL, RCPT và RSET.",
            fix: "Không cần làm gì; thư hoặc lệnh đã được chấp nhận. Nếu người nhận báo không thấy thư, hãy kiểm tra ở phía nhận (thư mục spam, bộ lọc) bằng mã hàng đợi trong phản hồi 250.",
        }),
    },
    // Source: RFC 5321 sections 3.4 and 4.2.2.
    Entry {
        code: "251",
        title: "User not local, forwarding",
        description: "The recipient is not hosted on this server, but the server accepts the message and will forward it. Delivery is accepted; the reply only signals the forwarding.",
        when: "Rare today; a few older or specialised servers send it in answer to RCPT when an address is redirected elsewhere.",
        fix: "Nothing to do; the message was accepted. The sender's postmaster may update the address if the reply names a new one.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Không phải người dùng cục bộ, sẽ chuyển tiếp",
            description: "Người nhận không nằm trên máy chủ này, nhưng máy chủ vẫn nhận thư và sẽ chuyển tiếp đi. Thư đã được chấp nhận; mã này chỉ báo việc chuyển tiếp.",
            when: "Hiếm gặp ngày nay; một vài máy chủ cũ hoặc chuyên dụng gửi mã này khi trả lời RCPT nếu địa chỉ được chuyển hướng sang nơi khác.",
            fix: "Không cần làm gì; thư đã được chấp nhận. Quản trị thư phía gửi có thể cập nhật địa chỉ nếu phản hồi nêu địa chỉ mới.",
        }),
    },
    // Source: RFC 5321 sections 3.5.3 and 7.3 (VRFY).
    Entry {
        code: "252",
        title: "Cannot verify user",
        description: "The server will not confirm whether the address exists, but it will accept mail for it and attempt delivery. It is the usual answer to VRFY on servers that do not disclose their users.",
        when: "In answer to VRFY, e.g. from address-harvesting probes or sender verification tools; Postfix and Exim do not log it for normal deliveries.",
        fix: "Nothing to do; it is not an error. A sender who needs proof that the address works has to send a message.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Không thể xác minh người dùng",
            description: "Máy chủ không xác nhận địa chỉ có tồn tại hay không, nhưng vẫn nhận thư gửi tới địa chỉ đó và sẽ cố gắng chuyển. Đây là câu trả lời thường gặp cho lệnh VRFY ở những máy chủ không muốn tiết lộ danh sách người dùng.",
            when: "Gặp khi trả lời lệnh VRFY, chẳng hạn từ công cụ dò địa chỉ hoặc công cụ kiểm tra người gửi; Postfix và Exim không ghi mã này khi gửi thư bình thường.",
            fix: "Không cần làm gì; đây không phải lỗi. Nếu người gửi cần chắc chắn địa chỉ hoạt động, cách duy nhất là gửi thử một bức thư.",
        }),
    },
    // Source: RFC 4954 sections 4 and 6 (334 challenge, 535 after a wrong answer).
    Entry {
        code: "334",
        title: "Authentication challenge",
        description: "An intermediate reply during SMTP AUTH: the server sends a challenge (base64, possibly empty) and waits for the client's answer.",
        when: "Inside every AUTH exchange, between the AUTH command and the final 235 or 535; MTAs do not log it for normal sessions, but it shows up in protocol traces.",
        fix: "Nothing to do; it is part of a normal login. A wrong password does not show up here: the server answers 535 after the client has replied to the challenge.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Máy chủ chờ dữ liệu xác thực",
            description: "Phản hồi trung gian trong quá trình SMTP AUTH: máy chủ gửi một chuỗi dữ liệu (mã hóa base64, có thể rỗng) và chờ máy khách trả lời bằng thông tin xác thực.",
            when: "Xuất hiện trong mọi lần xác thực, giữa lệnh AUTH và câu trả lời cuối cùng 235 hoặc 535; MTA không ghi mã này cho phiên bình thường, nhưng có thể thấy trong bản ghi giao thức.",
            fix: "Không cần làm gì; đây là một bước của việc đăng nhập bình thường. Mật khẩu sai không lộ ra ở đây: máy chủ trả 535 sau khi máy khách đã gửi câu trả lời.",
        }),
    },
    // Source: RFC 5321 sections 3.3 and 4.2.2 (DATA).
    Entry {
        code: "354",
        title: "Start mail input",
        description: "The server accepted DATA and is waiting for the message content, ended by a line holding a single dot. It is an intermediate reply: the final verdict comes after the dot.",
        when: "In every transaction that reaches the DATA stage; it appears in SMTP transcripts and debug logs, not as a delivery result.",
        fix: "Nothing to do; look at the reply that follows the end of the data for the actual outcome.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Bắt đầu nhập nội dung thư",
            description: "Máy chủ đã chấp nhận lệnh DATA và đang chờ nội dung thư, kết thúc bằng một dòng chỉ có dấu chấm. Đây là phản hồi trung gian: kết quả cuối cùng đến sau dấu chấm đó.",
            when: "Trong mọi giao dịch đi tới bước DATA; mã này xuất hiện trong bản ghi phiên SMTP và nhật ký gỡ lỗi, không phải là kết quả gửi thư.",
            fix: "Không cần làm gì; hãy xem phản hồi sau khi gửi xong nội dung để biết kết quả thực sự.",
        }),
    },
    // Source: RFC 5321 sections 3.8 and 4.2.3; Postfix 3.x smtpd/smtpd.c ('421 4.7.0 ... Error:
    // too many errors'); Exim smtp_accept_max text.
    Entry {
        code: "421",
        title: "Service not available",
        description: "The server cannot serve the session now and is closing the connection. It is temporary: the client should try again later.",
        when: "Receiving servers that are overloaded, shutting down or rate-limiting the client, e.g. Exim's 'Too many concurrent SMTP connections; please try again later', Postfix's '421 4.7.0 mx.example.com Error: too many errors', or large providers deferring a sending IP with 421 4.7.0 or 4.7.28.",
        fix: "Usually nothing: the sending MTA keeps the message queued and retries. If it persists for hours, the sender's postmaster should read the text for rate limits or reputation blocks and slow down or fix the cause; the receiver's postmaster should check load and connection limits.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Dịch vụ không khả dụng",
            description: "Máy chủ hiện không thể phục vụ phiên làm việc và đang đóng kết nối. Đây là lỗi tạm thời: phía gửi nên thử lại sau.",
            when: "Máy chủ nhận bị quá tải, đang tắt hoặc đang giới hạn tốc độ đối với bên gửi, ví dụ Exim báo 'Too many concurrent SMTP connections; please try again later', Postfix báo '421 4.7.0 mx.example.com Error: too many errors', hoặc các nhà cung cấp lớn tạm hoãn IP gửi bằng 421 4.7.0 hay 4.7.28.",
            fix: "Thường không cần làm gì: MTA gửi giữ thư trong hàng đợi và tự thử lại. Nếu lỗi kéo dài nhiều giờ, quản trị thư phía gửi nên đọc nội dung phản hồi để tìm giới hạn tốc độ hoặc việc bị chặn do uy tín rồi giảm tốc độ hay khắc phục nguyên nhân; quản trị phía nhận nên kiểm tra tải và giới hạn kết nối.",
        }),
    },
    // Source: RFC 4954 section 6 (432 4.7.12).
    Entry {
        code: "432",
        title: "Password transition needed",
        description: "During AUTH, the server asks the user to log in once with the PLAIN mechanism (over TLS) so that it can switch the account to the requested mechanism. It is temporary; later sessions should succeed with the chosen mechanism.",
        when: "Rare; seen on submission servers after a change in how passwords are stored, in mail client logs or in Postfix smtp client logs when relaying through an authenticated smarthost.",
        fix: "The sender side (the user, or the postmaster of the client relaying through a smarthost) should authenticate once with PLAIN over TLS and retry; the receiver's postmaster should make sure PLAIN is offered once TLS is active.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cần chuyển đổi mật khẩu",
            description: "Trong quá trình AUTH, máy chủ yêu cầu người dùng đăng nhập một lần bằng cơ chế PLAIN (qua TLS) để chuyển tài khoản sang cơ chế đã chọn. Đây là lỗi tạm thời; các phiên sau sẽ thành công với cơ chế đó.",
            when: "Hiếm gặp; xuất hiện trên máy chủ submission sau khi thay đổi cách lưu mật khẩu, trong nhật ký của trình gửi thư hoặc nhật ký smtp của Postfix khi chuyển thư qua smarthost có xác thực.",
            fix: "Phía gửi (người dùng, hoặc quản trị máy chủ chuyển thư qua smarthost) đăng nhập một lần bằng PLAIN qua TLS rồi thử lại; quản trị phía nhận cần bảo đảm cơ chế PLAIN được cung cấp khi đã có TLS.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix 3.0+ smtpd/smtpd_check.c reject_unknown_client
    // (4.7.25, code unknown_client_reject_code = 450) and reject_unverified_address (code
    // unverified_recipient_reject_code = 450), defaults in global/mail_params.h; postgrey's
    // greylisting reply.
    Entry {
        code: "450",
        title: "Mailbox temporarily unavailable",
        description: "The requested action on the mailbox was not taken because the mailbox is unavailable for now, for example busy, locked or temporarily blocked by policy. The client should retry later.",
        when: "Greylisting on a first attempt ('450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted' from postgrey), a busy or locked mailbox, and Postfix restrictions whose default code is 450: a client whose IP has no matching reverse DNS name ('450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.1]') and a recipient that address verification found undeliverable ('450 4.1.1 <user@example.com>: Recipient address rejected: unverified address: host mx.example.com said: 550 5.1.1 User unknown'). Those two repeat on every retry until the cause is fixed: permanent in effect, 450 only by default.",
        fix: "A first greylisting answer clears by itself: the retry after the greylisting delay (usually a few minutes) is accepted. If the same recipient keeps getting 450 for hours, read the text: 'cannot find your hostname' is for the sender's postmaster, who must get a PTR record with matching forward DNS for the sending IP; 'unverified address' means the address was found bad and the sender should correct it; a locked or disabled mailbox is for the receiver's postmaster.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Hộp thư tạm thời không khả dụng",
            description: "Thao tác trên hộp thư chưa được thực hiện vì hộp thư tạm thời không dùng được, ví dụ đang bận, bị khóa hoặc tạm thời bị chặn theo chính sách. Phía gửi nên thử lại sau.",
            when: "Greylisting ở lần gửi đầu tiên ('450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted' của postgrey), hộp thư đang bận hoặc bị khóa, và các quy tắc của Postfix có mã mặc định là 450: máy gửi có IP không có tên DNS ngược khớp ('450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.1]') và người nhận mà việc xác minh địa chỉ đã xác định là không gửi được ('450 4.1.1 <user@example.com>: Recipient address rejected: unverified address: host mx.example.com said: 550 5.1.1 User unknown'). Hai trường hợp sau lặp lại ở mọi lần thử cho tới khi nguyên nhân được khắc phục: thực chất là lỗi vĩnh viễn, chỉ mang mã 450 do cấu hình mặc định.",
            fix: "Lần greylisting đầu tiên tự qua: lần thử lại sau khoảng thời gian chờ của greylisting (thường vài phút) sẽ được chấp nhận. Nếu cùng một người nhận liên tục bị 450 trong nhiều giờ, hãy đọc phần chữ: 'cannot find your hostname' là việc của quản trị thư phía gửi, cần đặt bản ghi PTR có DNS xuôi khớp cho IP gửi; 'unverified address' nghĩa là địa chỉ đã được xác định là sai và người gửi nên sửa; hộp thư bị khóa hay bị vô hiệu hóa là việc của quản trị thư phía nhận.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd_policy_service_default_action default ('451
    // 4.3.5 Server configuration problem', global/mail_params.h); Exim's temporary-error text.
    Entry {
        code: "451",
        title: "Local processing error",
        description: "The server aborted the command because of an error on its own side, not because of the message or the address. It is temporary and the client should retry.",
        when: "Receiving-side trouble such as a failing content filter or milter, a broken lookup table ('451 4.3.5 Server configuration problem'), a queue file write error, DNS or database timeouts in policy checks, or Exim's 'Temporary local problem - please try later'; some greylisting setups also answer 451.",
        fix: "The sender usually just waits, since the message stays queued. If it persists, the receiver's postmaster should read their own logs around that time (warnings from smtpd, the milter or the database) and fix the failing component.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Lỗi xử lý cục bộ",
            description: "Máy chủ hủy lệnh vì lỗi ở chính phía mình, không phải do thư hay địa chỉ. Đây là lỗi tạm thời và phía gửi nên thử lại.",
            when: "Sự cố ở phía nhận như bộ lọc nội dung hoặc milter bị lỗi, bảng tra cứu hỏng ('451 4.3.5 Server configuration problem'), lỗi ghi tệp hàng đợi, DNS hay cơ sở dữ liệu quá thời gian khi kiểm tra chính sách, hoặc thông báo 'Temporary local problem - please try later' của Exim; một số hệ thống greylisting cũng trả 451.",
            fix: "Phía gửi thường chỉ cần chờ vì thư vẫn nằm trong hàng đợi. Nếu lỗi kéo dài, quản trị thư phía nhận nên đọc nhật ký của mình quanh thời điểm đó (cảnh báo từ smtpd, milter hoặc cơ sở dữ liệu) và sửa thành phần bị lỗi.",
        }),
    },
    // Source: RFC 5321 sections 4.2.3 and 4.5.3.1.10 (452 for too many recipients); Postfix
    // smtpd/smtpd_check.c ('452 4.3.1 Insufficient system storage') and smtpd/smtpd.c ('452 4.5.3
    // Error: too many recipients').
    Entry {
        code: "452",
        title: "Insufficient system storage",
        description: "The server cannot carry out the command right now because it lacks storage. RFC 5321 also lets a server answer RCPT with 452 when it will take no more recipients in this transaction; the client sends the rest later.",
        when: "Disk or queue space running low on the receiver ('452 4.3.1 Insufficient system storage'), a recipient limit per message ('452 4.5.3 Error: too many recipients'), or a provider answering 452 4.2.2 for a mailbox over quota.",
        fix: "The sending MTA retries, and for recipient limits it sends the remaining recipients in a new transaction, so usually nothing is needed. If it persists, the receiver's postmaster should free disk space or raise the limits.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Không đủ dung lượng lưu trữ",
            description: "Máy chủ tạm thời không thể thực hiện lệnh vì thiếu chỗ lưu trữ. RFC 5321 cũng cho phép trả lời RCPT bằng 452 khi máy chủ không nhận thêm người nhận trong giao dịch này; phía gửi sẽ gửi tới những người nhận còn lại sau.",
            when: "Ổ đĩa hoặc hàng đợi ở phía nhận sắp hết chỗ ('452 4.3.1 Insufficient system storage'), vượt giới hạn số người nhận mỗi thư ('452 4.5.3 Error: too many recipients'), hoặc nhà cung cấp trả 452 4.2.2 khi hộp thư vượt hạn mức.",
            fix: "MTA gửi sẽ tự thử lại, và với giới hạn người nhận thì gửi phần người nhận còn lại trong một giao dịch mới, nên thường không cần làm gì. Nếu kéo dài, quản trị thư phía nhận cần giải phóng dung lượng đĩa hoặc nâng giới hạn.",
        }),
    },
    // Source: RFC 4954 section 6 (454 4.7.0 for AUTH); RFC 3207 section 4 (454 for TLS); Postfix
    // smtpd/smtpd.c and smtpd_sasl_glue.c (reply texts), smtpd_check.c defer_unauth_destination
    // (relay_domains_reject_code - 100 = 454, 4.7.1), the default smtpd_relay_restrictions since
    // Postfix 2.10.
    Entry {
        code: "454",
        title: "Temporary authentication failure",
        description: "Authentication or TLS could not be completed because of a temporary problem on the server, such as an unreachable password backend. Postfix also uses 454 to refuse relaying when it is configured to defer rather than reject such attempts.",
        when: "Submission or smarthost logins failing while the authentication service is down ('454 4.7.0 Temporary authentication failure: ...'), STARTTLS failing on the server ('454 4.7.0 TLS not available due to local problem'), and Postfix's default relay restriction answering '454 4.7.1 <user@example.org>: Relay access denied'.",
        fix: "For authentication or TLS, the receiver's postmaster should check the SASL backend (Dovecot auth, Cyrus saslauthd) or the TLS certificate and key, while the client retries. For 'Relay access denied', the sender must authenticate or use the right server, or the receiver's postmaster must add the domain or network to the relay settings.",
        reference: "RFC 4954; RFC 3207 (STARTTLS)",
        vi: Some(ViTexts {
            title: "Lỗi xác thực tạm thời",
            description: "Không thể hoàn tất xác thực hoặc TLS do sự cố tạm thời ở máy chủ, chẳng hạn không kết nối được tới nơi lưu mật khẩu. Postfix cũng dùng 454 để từ chối chuyển tiếp (relay) khi được cấu hình hoãn thay vì từ chối hẳn.",
            when: "Đăng nhập vào máy chủ submission hoặc smarthost thất bại khi dịch vụ xác thực ngừng hoạt động ('454 4.7.0 Temporary authentication failure: ...'), STARTTLS lỗi ở máy chủ ('454 4.7.0 TLS not available due to local problem'), và quy tắc relay mặc định của Postfix trả '454 4.7.1 <user@example.org>: Relay access denied'.",
            fix: "Với lỗi xác thực hoặc TLS, quản trị thư phía nhận cần kiểm tra dịch vụ SASL (Dovecot auth, Cyrus saslauthd) hoặc chứng chỉ và khóa TLS, trong khi phía gửi tự thử lại. Với 'Relay access denied', người gửi phải xác thực hoặc gửi qua đúng máy chủ, hoặc quản trị phía nhận phải thêm tên miền hay dải mạng vào cấu hình relay.",
        }),
    },
    // Source: RFC 5321 section 4.2.3 (455, 555 for MAIL and RCPT parameters).
    Entry {
        code: "455",
        title: "Cannot accommodate parameters",
        description: "The server understood the MAIL or RCPT parameters but cannot satisfy them at the moment. It is temporary and the client may retry, possibly with different parameters.",
        when: "Rare in practice; some servers use it when an extension parameter, such as a declared size or a delivery option, cannot be honoured right now.",
        fix: "Usually the sending MTA simply retries. If it repeats, the sender's postmaster should check which MAIL or RCPT parameters the client sends, and the receiver's postmaster why they cannot be honoured.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Không thể đáp ứng tham số",
            description: "Máy chủ hiểu các tham số của MAIL hoặc RCPT nhưng hiện chưa thể đáp ứng. Đây là lỗi tạm thời và phía gửi có thể thử lại, có thể với tham số khác.",
            when: "Hiếm gặp trong thực tế; một số máy chủ dùng mã này khi một tham số mở rộng, như kích thước khai báo hay tùy chọn chuyển thư, tạm thời không thể đáp ứng.",
            fix: "Thường MTA gửi sẽ tự thử lại. Nếu lặp lại, quản trị thư phía gửi nên xem máy khách gửi những tham số MAIL hoặc RCPT nào, còn quản trị phía nhận xem vì sao không đáp ứng được.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix 3.7+ smtpd/smtpd.c answers unknown commands with
    // '500 5.5.2 Error: command not recognized' (HISTORY 20210810; 502 before).
    Entry {
        code: "500",
        title: "Command not recognized",
        description: "The server could not understand the command: it is unknown, misspelled or too long. It is permanent for that command line.",
        when: "Clients speaking another protocol on port 25 (HTTP requests, TLS sent to a plain port), broken scripts, overlong lines, or firewalls that mangle SMTP commands; Postfix 3.7 and later answer an unknown command with '500 5.5.2 Error: command not recognized'. In logs it usually points at a misbehaving client rather than a mail problem.",
        fix: "The sender's postmaster (or the author of the sending software) must fix what the client sends, and check for SMTP-inspecting firewalls that rewrite commands. The receiver has nothing to fix.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Máy chủ không hiểu lệnh",
            description: "Máy chủ không hiểu lệnh vừa nhận: lệnh không có trong giao thức, bị viết sai hoặc quá dài. Gửi lại đúng dòng lệnh đó sẽ luôn bị từ chối.",
            when: "Máy khách dùng giao thức khác trên cổng 25 (yêu cầu HTTP, gửi TLS vào cổng thường), script bị lỗi, dòng lệnh quá dài, hoặc tường lửa làm hỏng lệnh SMTP; từ bản 3.7, Postfix trả lời lệnh lạ bằng '500 5.5.2 Error: command not recognized'. Trong nhật ký, mã này thường cho thấy máy khách hoạt động sai chứ không phải sự cố thư.",
            fix: "Quản trị thư phía gửi (hoặc người viết phần mềm gửi) phải sửa những gì máy khách gửi đi, và kiểm tra tường lửa có chức năng soát SMTP làm thay đổi lệnh. Phía nhận không cần sửa gì.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd/smtpd.c ('501 5.1.7 Bad sender address
    // syntax', '501 5.1.3 Bad recipient address syntax') and smtpd_check.c
    // (invalid_hostname_reject_code = 501).
    Entry {
        code: "501",
        title: "Syntax error in arguments",
        description: "The command is known, but its parameters or arguments are malformed. The command must be corrected before it can succeed.",
        when: "Malformed HELO or EHLO names ('501 5.5.2 ... Helo command rejected: Invalid name'), badly formed addresses ('501 5.1.7 Bad sender address syntax', '501 5.1.3 Bad recipient address syntax'), or broken AUTH data.",
        fix: "The sender's postmaster must fix the client: set a valid hostname for HELO/EHLO (Postfix smtp_helo_name, Exim helo_data) and make applications write addresses correctly. The receiving side normally has nothing to change.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Lỗi cú pháp trong tham số",
            description: "Lệnh hợp lệ nhưng tham số hoặc đối số bị sai định dạng. Phải sửa lệnh đó thì mới có thể thành công.",
            when: "Tên HELO hoặc EHLO sai dạng ('501 5.5.2 ... Helo command rejected: Invalid name'), địa chỉ viết sai ('501 5.1.7 Bad sender address syntax', '501 5.1.3 Bad recipient address syntax'), hoặc dữ liệu AUTH bị hỏng.",
            fix: "Quản trị thư phía gửi phải sửa máy khách: đặt tên máy hợp lệ cho HELO/EHLO (smtp_helo_name của Postfix, helo_data của Exim) và bảo đảm ứng dụng ghi địa chỉ đúng. Phía nhận thường không phải thay đổi gì.",
        }),
    },
    // Source: RFC 5321 section 4.2.3 (502: not implemented); Postfix smtpd/smtpd.c ('502 5.5.1
    // VRFY command is disabled'); since Postfix 3.7 unknown commands get 500, not 502 (HISTORY
    // 20210810).
    Entry {
        code: "502",
        title: "Command not implemented",
        description: "The server recognises the command but does not offer it. The command will keep failing on this server.",
        when: "VRFY or EXPN disabled ('502 5.5.1 VRFY command is disabled'), commands a server knows but does not offer ('502 5.5.1 Error: command not implemented' from Postfix), and clients sending AUTH or ETRN to a server that does not support them. Postfix before 3.7 also answered unknown commands with 502; 3.7 and later use 500 for those.",
        fix: "The sender's postmaster should stop the client from using the command, or make it check the EHLO capabilities first. The receiver only needs to act if the command is meant to be supported.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Lệnh không được hỗ trợ",
            description: "Máy chủ biết lệnh này nhưng không cung cấp chức năng đó. Lệnh sẽ tiếp tục thất bại trên máy chủ này.",
            when: "VRFY hoặc EXPN bị tắt ('502 5.5.1 VRFY command is disabled'), lệnh máy chủ biết nhưng không cung cấp ('502 5.5.1 Error: command not implemented' của Postfix), và máy khách gửi AUTH hay ETRN tới máy chủ không hỗ trợ. Postfix trước bản 3.7 cũng trả 502 cho lệnh lạ; từ bản 3.7 dùng 500 cho trường hợp đó.",
            fix: "Quản trị thư phía gửi nên cho máy khách ngừng dùng lệnh đó, hoặc kiểm tra danh sách tính năng trong phản hồi EHLO trước. Phía nhận chỉ cần xử lý nếu lệnh đó lẽ ra phải được hỗ trợ.",
        }),
    },
    // Source: RFC 5321 sections 3.3 and 4.2.3; Postfix smtpd/smtpd.c ('503 5.5.1 Error: need RCPT
    // command').
    Entry {
        code: "503",
        title: "Bad command sequence",
        description: "The command came in the wrong order, for example RCPT before MAIL, or DATA without any accepted recipient. The transaction has to be redone in the right order.",
        when: "'503 5.5.1 Error: need RCPT command' after every recipient was rejected (a pipelining client sends DATA anyway), 'send HELO/EHLO first', AUTH attempted when it is not offered, or a nested MAIL command.",
        fix: "Usually a symptom: look for the earlier rejection in the same session (often a 4xx or 5xx to RCPT) and fix that. If it stands alone, the sender's postmaster should fix the client software.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Sai thứ tự lệnh",
            description: "Lệnh được gửi sai thứ tự, ví dụ RCPT trước MAIL, hoặc DATA khi chưa có người nhận nào được chấp nhận. Phải thực hiện lại giao dịch theo đúng thứ tự.",
            when: "'503 5.5.1 Error: need RCPT command' sau khi mọi người nhận đều bị từ chối (máy khách dùng pipelining vẫn gửi DATA), 'send HELO/EHLO first', thử AUTH khi máy chủ không cung cấp, hoặc lệnh MAIL lồng nhau.",
            fix: "Thường chỉ là hệ quả: hãy tìm lần từ chối trước đó trong cùng phiên (thường là 4xx hoặc 5xx cho RCPT) và khắc phục nó. Nếu xuất hiện riêng lẻ, quản trị thư phía gửi nên sửa phần mềm máy khách.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd/smtpd_check.c reject_non_fqdn_hostname and
    // reject_non_fqdn_address (code non_fqdn_reject_code, default 504 in global/mail_params.h);
    // these restrictions are not in Postfix's default smtpd_*_restrictions.
    Entry {
        code: "504",
        title: "Parameter not implemented",
        description: "The command is known, but a parameter it was given is not supported by this server. The command fails permanently with that parameter.",
        when: "Postfix sites that enabled reject_non_fqdn_helo_hostname, reject_non_fqdn_sender or reject_non_fqdn_recipient: those restrictions are off by default, but when used they answer with 504, the default of non_fqdn_reject_code ('504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname', or 'need fully-qualified address' for senders and recipients); servers also answer AUTH with an unsupported mechanism with 504.",
        fix: "The sender's postmaster should configure a fully qualified HELO name and make applications use full addresses (user@domain), or pick an AUTH mechanism that the server announces.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Tham số không được hỗ trợ",
            description: "Lệnh hợp lệ nhưng một tham số đi kèm không được máy chủ này hỗ trợ. Lệnh sẽ luôn thất bại với tham số đó.",
            when: "Các máy chủ Postfix đã bật reject_non_fqdn_helo_hostname, reject_non_fqdn_sender hoặc reject_non_fqdn_recipient: mặc định các quy tắc này không bật, nhưng khi được dùng chúng trả 504, giá trị mặc định của non_fqdn_reject_code ('504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname', hoặc 'need fully-qualified address' với địa chỉ gửi và nhận); máy chủ cũng trả 504 khi AUTH dùng cơ chế không được hỗ trợ.",
            fix: "Quản trị thư phía gửi nên đặt tên HELO đầy đủ (FQDN) và để ứng dụng dùng địa chỉ đầy đủ (user@domain), hoặc chọn cơ chế AUTH mà máy chủ đã công bố.",
        }),
    },
    // Source: RFC 7504 sections 3 and 4.
    Entry {
        code: "521",
        title: "Host does not accept mail",
        description: "This host never accepts mail; RFC 7504 defines the code for a server that answers connections only to say so. It is permanent and the client should not retry this host.",
        when: "Connecting to a host that is not a mail server but keeps port 25 open to refuse politely, such as a web or placeholder host, or a deliberately closed MX; the greeting itself is 521.",
        fix: "The sender's postmaster should check the recipient domain's MX records and stop sending to that host; if the domain should receive mail, the receiver's postmaster must publish the right MX records.",
        reference: "RFC 7504",
        vi: Some(ViTexts {
            title: "Máy chủ không nhận thư",
            description: "Máy chủ này không bao giờ nhận thư; RFC 7504 định nghĩa mã này cho máy chủ chỉ trả lời kết nối để báo điều đó. Đây là lỗi vĩnh viễn và phía gửi không nên thử lại máy chủ này.",
            when: "Kết nối tới một máy không phải máy chủ thư nhưng vẫn mở cổng 25 để từ chối một cách lịch sự, như máy chủ web hoặc máy giữ chỗ, hoặc một MX cố ý đóng; chính lời chào đã là 521.",
            fix: "Quản trị thư phía gửi nên kiểm tra bản ghi MX của tên miền người nhận và ngừng gửi tới máy đó; nếu tên miền cần nhận thư, quản trị phía nhận phải công bố đúng bản ghi MX.",
        }),
    },
    // Source: IANA SMTP Enhanced Status Codes registry, entry X.7.10 (RFC 5248), which names
    // 523 as its associated basic code; RFC 5321 does not define 523.
    Entry {
        code: "523",
        title: "Encryption needed",
        description: "The server wants an external privacy layer such as TLS before it allows the requested authentication mechanism. RFC 5321 does not define 523; the IANA enhanced status code registry (RFC 5248) pairs it with X.7.10.",
        when: "Rare; clients trying a clear-text AUTH mechanism such as PLAIN or LOGIN before STARTTLS, on a server that answers '523 5.7.10 Encryption needed' instead of the more common 538 5.7.11 or 530 5.7.0.",
        fix: "The sender's postmaster should make the client start TLS (STARTTLS, or implicit TLS on port 465) before it authenticates, or use a stronger mechanism. The receiver has nothing to change.",
        reference: "RFC 5248 (IANA registry, with X.7.10)",
        vi: Some(ViTexts {
            title: "Cần mã hóa",
            description: "Máy chủ yêu cầu một lớp bảo mật bên ngoài như TLS trước khi cho dùng cơ chế xác thực được chọn. RFC 5321 không định nghĩa mã 523; sổ đăng ký mã trạng thái nâng cao của IANA (RFC 5248) ghép nó với X.7.10.",
            when: "Hiếm gặp; máy khách dùng cơ chế AUTH gửi mật khẩu dạng rõ như PLAIN hay LOGIN trước khi STARTTLS, tới máy chủ trả lời '523 5.7.10 Encryption needed' thay vì các mã hay gặp hơn là 538 5.7.11 hoặc 530 5.7.0.",
            fix: "Quản trị thư phía gửi nên cho máy khách bật TLS (STARTTLS, hoặc TLS ngay từ đầu trên cổng 465) trước khi xác thực, hoặc dùng cơ chế mạnh hơn. Phía nhận không cần thay đổi gì.",
        }),
    },
    // Source: RFC 4954 section 6 (530 5.7.0 Authentication required); RFC 3207 section 4 (530 for
    // STARTTLS first); Postfix smtpd/smtpd.c ('530 5.7.0 Must issue a STARTTLS command first').
    Entry {
        code: "530",
        title: "Authentication required",
        description: "The server requires the client to authenticate (or, on many servers, to start TLS) before it accepts this command. It keeps failing until the client does so.",
        when: "Mail clients or applications submitting on port 587 without logging in, Postfix relaying through a smarthost without SASL configured ('530 5.7.0 Authentication required'), and servers that insist on STARTTLS first ('530 5.7.0 Must issue a STARTTLS command first').",
        fix: "The sender's postmaster should configure authentication (Postfix smtp_sasl_auth_enable and smtp_sasl_password_maps, an Exim authenticator for the smarthost) and enable TLS; the receiver has nothing to change unless unauthenticated submission is intended.",
        reference: "RFC 4954; RFC 3207 (STARTTLS)",
        vi: Some(ViTexts {
            title: "Yêu cầu xác thực",
            description: "Máy chủ yêu cầu máy khách xác thực (hoặc, với nhiều máy chủ, bật TLS) trước khi chấp nhận lệnh này. Lỗi vẫn còn cho tới khi máy khách làm điều đó.",
            when: "Trình gửi thư hoặc ứng dụng gửi qua cổng 587 mà không đăng nhập, Postfix chuyển thư qua smarthost khi chưa cấu hình SASL ('530 5.7.0 Authentication required'), và máy chủ đòi STARTTLS trước ('530 5.7.0 Must issue a STARTTLS command first').",
            fix: "Quản trị thư phía gửi nên cấu hình xác thực (smtp_sasl_auth_enable và smtp_sasl_password_maps của Postfix, một authenticator cho smarthost trong Exim) và bật TLS; phía nhận không phải thay đổi gì trừ khi muốn cho gửi mà không cần đăng nhập.",
        }),
    },
    // Source: RFC 4954 section 6 (534 5.7.9).
    Entry {
        code: "534",
        title: "Authentication mechanism too weak",
        description: "The server refuses the chosen AUTH mechanism because its policy requires a stronger one for this user. The client should try another mechanism.",
        when: "Clients or smarthost relays trying PLAIN or LOGIN where only stronger mechanisms are allowed; large providers also answer 534 5.7.9 when they require an app password or OAuth instead of the normal password.",
        fix: "The sender's postmaster should select a mechanism the server accepts, or use the provider's app password or OAuth method; the receiver only changes policy if the requirement is unintended.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cơ chế xác thực quá yếu",
            description: "Máy chủ từ chối cơ chế AUTH đã chọn vì chính sách yêu cầu cơ chế mạnh hơn đối với người dùng này. Máy khách nên thử cơ chế khác.",
            when: "Máy khách hoặc máy chủ chuyển thư qua smarthost dùng PLAIN hay LOGIN trong khi chỉ cơ chế mạnh hơn được phép; các nhà cung cấp lớn cũng trả 534 5.7.9 khi yêu cầu mật khẩu ứng dụng hoặc OAuth thay cho mật khẩu thường.",
            fix: "Quản trị thư phía gửi nên chọn cơ chế mà máy chủ chấp nhận, hoặc dùng mật khẩu ứng dụng hay OAuth của nhà cung cấp; phía nhận chỉ cần đổi chính sách nếu yêu cầu này không chủ ý.",
        }),
    },
    // Source: RFC 4954 section 6 (535 5.7.8); Postfix smtpd/smtpd_sasl_glue.c ('535 5.7.8 Error:
    // authentication failed: ...'); Exim's text, sent without an enhanced code.
    Entry {
        code: "535",
        title: "Authentication credentials invalid",
        description: "Authentication failed because the user name and password (or other credentials) were not accepted. Retrying with the same credentials will keep failing.",
        when: "Wrong or expired passwords on submission or smarthost logins ('535 5.7.8 Error: authentication failed: authentication failure' in Postfix, 'Incorrect authentication data' after 535 in Exim), and password-guessing bots, which leave long runs of 535 from many IPs.",
        fix: "For a legitimate client, the sender side must fix the stored credentials (e.g. Postfix sasl_passwd, followed by postmap). For bot floods, the receiver's postmaster should rate-limit or block the sources (fail2ban or similar) and make sure no weak account has been compromised.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Thông tin xác thực không hợp lệ",
            description: "Xác thực thất bại vì tên người dùng và mật khẩu (hay thông tin xác thực khác) không được chấp nhận. Thử lại với cùng thông tin sẽ tiếp tục thất bại.",
            when: "Sai mật khẩu hoặc mật khẩu hết hạn khi đăng nhập máy chủ submission hay smarthost ('535 5.7.8 Error: authentication failed: authentication failure' ở Postfix, 'Incorrect authentication data' sau mã 535 ở Exim), và bot dò mật khẩu, để lại hàng loạt 535 từ nhiều IP.",
            fix: "Với máy khách hợp lệ, phía gửi phải sửa thông tin đăng nhập đã lưu (ví dụ tệp sasl_passwd của Postfix, sau đó chạy postmap). Với bot tấn công, quản trị thư phía nhận nên giới hạn hoặc chặn các nguồn đó (fail2ban hay công cụ tương tự) và kiểm tra xem có tài khoản yếu nào bị chiếm quyền không.",
        }),
    },
    // Source: RFC 4954 section 6 (538 5.7.11).
    Entry {
        code: "538",
        title: "Encryption required for authentication",
        description: "The chosen AUTH mechanism may only be used over an encrypted connection. The client must start TLS before authenticating.",
        when: "Clients trying to authenticate in clear text on a server that allows AUTH only after STARTTLS; modern servers usually hide such mechanisms until TLS is active, so 538 is uncommon.",
        fix: "The sender's postmaster should enable TLS on the client before AUTH (e.g. Postfix smtp_tls_security_level = encrypt for the smarthost). The receiver has nothing to change.",
        reference: "RFC 4954",
        vi: Some(ViTexts {
            title: "Cần mã hóa để xác thực",
            description: "Cơ chế AUTH đã chọn chỉ được dùng trên kết nối đã mã hóa. Máy khách phải bật TLS trước khi xác thực.",
            when: "Máy khách cố xác thực bằng văn bản thường trên máy chủ chỉ cho phép AUTH sau STARTTLS; máy chủ hiện đại thường ẩn các cơ chế này cho tới khi có TLS nên 538 ít gặp.",
            fix: "Quản trị thư phía gửi nên bật TLS ở máy khách trước khi AUTH (ví dụ smtp_tls_security_level = encrypt của Postfix cho smarthost). Phía nhận không cần thay đổi gì.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd/smtpd_check.c (unknown recipients); Gmail and
    // Microsoft 5.7.1/5.7.26 replies.
    Entry {
        code: "550",
        title: "Mailbox unavailable",
        description: "The action was refused permanently: the mailbox does not exist, cannot be used, or the server's policy forbids this delivery. For a message, the sending MTA does not retry and returns it to the sender as a bounce.",
        when: "Unknown recipients ('550 5.1.1 ... User unknown in virtual mailbox table', Exim's 'Unrouteable address'), blocklisted or unauthenticated senders ('550 5.7.1', '550 5.7.26'), rejected sender addresses, and content or spam rejections.",
        fix: "Read the text after the code. For an unknown user, the sender should correct or remove the address; for policy or spam blocks, the sender's postmaster should check blocklists, SPF, DKIM and DMARC, and contact the receiver's postmaster if the block looks wrong.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Hộp thư không khả dụng",
            description: "Thao tác bị từ chối vĩnh viễn: hộp thư không tồn tại, không dùng được, hoặc chính sách của máy chủ cấm lần gửi này. Với một bức thư, MTA gửi không thử lại mà trả thư về cho người gửi.",
            when: "Người nhận không tồn tại ('550 5.1.1 ... User unknown in virtual mailbox table', 'Unrouteable address' của Exim), người gửi nằm trong danh sách chặn hoặc không xác thực được ('550 5.7.1', '550 5.7.26'), địa chỉ người gửi bị từ chối, và từ chối do nội dung hay thư rác.",
            fix: "Hãy đọc phần chữ sau mã. Nếu người dùng không tồn tại, người gửi cần sửa hoặc xóa địa chỉ; nếu bị chặn theo chính sách hay do thư rác, quản trị thư phía gửi nên kiểm tra danh sách chặn, SPF, DKIM và DMARC, rồi liên hệ quản trị phía nhận nếu thấy bị chặn nhầm.",
        }),
    },
    // Source: RFC 5321 sections 3.4 and 4.2.3.
    Entry {
        code: "551",
        title: "User not local",
        description: "The recipient is not hosted here; the server refuses the message and may name another address to try. It is permanent for this path.",
        when: "Rare; some servers send it for mailboxes that moved to another domain, and a few old ones misuse it to refuse relaying.",
        fix: "The sender should switch to the address given in the reply text, if any. The receiver's postmaster acts only if the forwarding information is out of date.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Không phải người dùng cục bộ",
            description: "Người nhận không nằm trên máy chủ này; máy chủ từ chối thư và có thể nêu một địa chỉ khác để thử. Đây là lỗi vĩnh viễn với đường gửi này.",
            when: "Hiếm gặp; một số máy chủ gửi mã này cho hộp thư đã chuyển sang tên miền khác, và vài máy chủ cũ dùng sai mã này để từ chối chuyển tiếp.",
            fix: "Người gửi nên chuyển sang địa chỉ nêu trong phản hồi, nếu có. Quản trị thư phía nhận chỉ cần xử lý nếu thông tin chuyển tiếp đã lỗi thời.",
        }),
    },
    // Source: RFC 5321 sections 4.2.3 and 4.5.3.1.10; Postfix smtpd/smtpd_check.c ('552 5.3.4
    // Message size exceeds fixed limit'); Exim's size text.
    Entry {
        code: "552",
        title: "Storage allocation exceeded",
        description: "The action was aborted because it would exceed a storage limit: the message is too large or the mailbox has no room. Resending the same message unchanged will fail again.",
        when: "Messages over the receiver's size limit ('552 5.3.4 Message size exceeds fixed limit' in Postfix, 'Message size exceeds maximum permitted' in Exim) and full mailboxes ('552 5.2.2 Mailbox full'); RFC 5321 asks clients to treat a 552 to RCPT caused by too many recipients as temporary.",
        fix: "For size, the sender should shrink the message or share large files by link; for a full mailbox, the recipient must free space or the receiver's postmaster must raise the quota.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Vượt quá dung lượng cho phép",
            description: "Thao tác bị hủy vì sẽ vượt giới hạn lưu trữ: thư quá lớn hoặc hộp thư không còn chỗ. Gửi lại nguyên thư đó sẽ tiếp tục thất bại.",
            when: "Thư vượt giới hạn kích thước của phía nhận ('552 5.3.4 Message size exceeds fixed limit' ở Postfix, 'Message size exceeds maximum permitted' ở Exim) và hộp thư đầy ('552 5.2.2 Mailbox full'); RFC 5321 yêu cầu phía gửi coi 552 cho RCPT do quá nhiều người nhận là lỗi tạm thời.",
            fix: "Nếu do kích thước, người gửi nên giảm dung lượng thư hoặc chia sẻ tệp lớn qua liên kết; nếu hộp thư đầy, người nhận phải dọn bớt thư hoặc quản trị thư phía nhận phải nâng hạn mức.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd/smtpd_check.c reject_sender_login_mismatch
    // (553 5.7.1, 'not owned by user', 'not logged in').
    Entry {
        code: "553",
        title: "Mailbox name not allowed",
        description: "The address given is not acceptable, for example it is malformed or the sender is not allowed to use it. The command fails permanently with that address.",
        when: "Postfix's reject_sender_login_mismatch ('553 5.7.1 ... Sender address rejected: not owned by user ...' or 'not logged in'), and servers refusing addresses with invalid syntax or forbidden characters.",
        fix: "The sender must use an address they are allowed to send as (matching their login) and write it correctly; the receiver's postmaster adjusts the sender login maps if a legitimate address is refused.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Tên hộp thư không được phép",
            description: "Địa chỉ đưa ra không được chấp nhận, ví dụ sai định dạng hoặc người gửi không được phép dùng nó. Lệnh thất bại vĩnh viễn với địa chỉ đó.",
            when: "Quy tắc reject_sender_login_mismatch của Postfix ('553 5.7.1 ... Sender address rejected: not owned by user ...' hoặc 'not logged in'), và máy chủ từ chối địa chỉ sai cú pháp hoặc chứa ký tự bị cấm.",
            fix: "Người gửi phải dùng địa chỉ mình được phép gửi (khớp với tài khoản đăng nhập) và viết cho đúng; quản trị thư phía nhận điều chỉnh bảng ánh xạ người gửi nếu một địa chỉ hợp lệ bị từ chối.",
        }),
    },
    // Source: RFC 5321 sections 3.1 (554 greeting) and 4.2.3; Postfix smtpd/smtpd_check.c
    // (relay_domains_reject_code and maps_rbl_reject_code, both 554 by default).
    Entry {
        code: "554",
        title: "Transaction failed",
        description: "The transaction was refused permanently, often by policy or after the message data was sent; sent as the greeting, it means there is no SMTP service for this client. For a message, the sending MTA does not retry and returns it to the sender as a bounce.",
        when: "Postfix relay refusals ('554 5.7.1 <user@example.org>: Relay access denied'), DNSBL blocks ('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'), content or virus rejections after DATA, 'no valid recipients', and 554 greetings to blocked clients.",
        fix: "The sender's postmaster should read the reason: fix relay or authentication settings, request delisting from the named blocklist after cleaning up, or change the rejected content. The receiver's postmaster acts if legitimate mail is refused by their own rules.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Giao dịch thất bại",
            description: "Giao dịch bị từ chối vĩnh viễn, thường do chính sách hoặc sau khi nội dung thư đã được gửi; nếu xuất hiện ở lời chào thì nghĩa là không có dịch vụ SMTP cho máy khách này. Với một bức thư, MTA gửi không thử lại mà trả thư về cho người gửi.",
            when: "Postfix từ chối chuyển tiếp ('554 5.7.1 <user@example.org>: Relay access denied'), chặn theo DNSBL ('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'), từ chối nội dung hoặc virus sau DATA, 'no valid recipients', và lời chào 554 gửi tới máy khách bị chặn.",
            fix: "Quản trị thư phía gửi nên đọc lý do: sửa cấu hình relay hoặc xác thực, xin gỡ khỏi danh sách chặn được nêu sau khi đã khắc phục, hoặc thay đổi nội dung bị từ chối. Quản trị phía nhận cần xử lý nếu thư hợp lệ bị chính quy tắc của mình chặn.",
        }),
    },
    // Source: RFC 5321 section 4.2.3; Postfix smtpd/smtpd.c ('555 5.5.4 Unsupported option: ...').
    Entry {
        code: "555",
        title: "Parameters not recognized",
        description: "A parameter given with MAIL FROM or RCPT TO is unknown or not implemented. The command fails permanently with that parameter.",
        when: "Clients sending ESMTP options the server did not announce, such as SMTPUTF8, SIZE or DSN parameters to a server without those extensions ('555 5.5.4 Unsupported option: ...' in Postfix).",
        fix: "The sender's postmaster should make the client use only extensions listed in the EHLO reply. The receiver's postmaster can enable the extension if it is wanted.",
        reference: "RFC 5321",
        vi: Some(ViTexts {
            title: "Tham số MAIL hoặc RCPT không được chấp nhận",
            description: "Một tham số đi kèm MAIL FROM hoặc RCPT TO không được biết hoặc chưa được hỗ trợ. Lệnh thất bại vĩnh viễn với tham số đó.",
            when: "Máy khách gửi tùy chọn ESMTP mà máy chủ không công bố, như tham số SMTPUTF8, SIZE hoặc DSN tới máy chủ không có các phần mở rộng đó ('555 5.5.4 Unsupported option: ...' ở Postfix).",
            fix: "Quản trị thư phía gửi nên để máy khách chỉ dùng những phần mở rộng có trong phản hồi EHLO. Quản trị phía nhận có thể bật phần mở rộng đó nếu cần.",
        }),
    },
    // Source: RFC 7504 section 3; RFC 7505 (null MX); Postfix smtpd/smtpd_check.c and
    // smtpd_nullmx.ref ('556 5.1.10 ... (nullMX)').
    Entry {
        code: "556",
        title: "Domain does not accept mail",
        description: "The recipient's domain has declared that it accepts no mail, typically with a null MX record (RFC 7505). It is permanent; the message cannot be delivered to that domain.",
        when: "Sending to a domain whose MX record is '0 .', reported by the sending MTA itself or by a relay, e.g. '556 5.1.10 ... Recipient address rejected: Domain example.com does not accept mail (nullMX)' in Postfix.",
        fix: "The sender should correct the address (often a typo or a parked domain). If the domain should receive mail, its owner must replace the null MX with real MX records.",
        reference: "RFC 7504",
        vi: Some(ViTexts {
            title: "Tên miền không nhận thư",
            description: "Tên miền người nhận đã tuyên bố không nhận bất kỳ thư nào, thường bằng bản ghi null MX (RFC 7505). Đây là lỗi vĩnh viễn; thư không thể gửi tới tên miền đó.",
            when: "Gửi tới tên miền có bản ghi MX là '0 .', do chính MTA gửi hoặc máy chuyển tiếp báo lại, ví dụ '556 5.1.10 ... Recipient address rejected: Domain example.com does not accept mail (nullMX)' ở Postfix.",
            fix: "Người gửi nên sửa địa chỉ (thường do gõ nhầm hoặc tên miền chỉ để giữ chỗ). Nếu tên miền cần nhận thư, chủ sở hữu phải thay null MX bằng bản ghi MX thật.",
        }),
    },
];
