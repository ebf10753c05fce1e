//! Generic texts for the classes (first digit) and categories (second digit) of basic codes
//! and for the classes and subjects of enhanced codes. A class text is printed for every code
//! of its class, so it must be true for each of them (a test in `kb` checks the known traps).

use super::Generic;

/// Classes (first digit) of basic reply codes, RFC 5321 section 4.2.1.
pub static BASIC_CLASSES: &[Generic] = &[
    // Source: RFC 5321 sections 4.2.1 (2yz) and 4.2.5 (responsibility only after the end of DATA).
    // Printed for 211, 214, 220, 221, 235, 250, 251, 252: true for each.
    Generic {
        digit: 2,
        title: "Positive completion",
        description: "A positive reply: the server accepted the command, or for the 220 greeting the connection, and there is nothing to retry. Only a 2xx reply to the end of the message data (after DATA) means that the receiving server has taken responsibility for the message; other 2xx replies accept one step of the session, such as a recipient, a login or the end of the session.",
        title_vi: "Hoàn tất thành công",
        description_vi: "Phản hồi tích cực: máy chủ đã chấp nhận lệnh (với lời chào 220 là chấp nhận kết nối) và không có gì cần thử lại. Chỉ khi mã 2xx trả lời cho phần kết thúc nội dung thư (sau DATA) thì máy chủ nhận mới nhận trách nhiệm với bức thư; các mã 2xx khác chỉ chấp nhận một bước của phiên, như một người nhận, một lần đăng nhập hay việc kết thúc phiên.",
    },
    Generic {
        digit: 3,
        title: "Positive intermediate",
        description: "The command was accepted, but the server needs more input to finish, such as the message data after DATA (354) or the next AUTH step. It is not an outcome: the reply that follows decides.",
        title_vi: "Chấp nhận, chờ thêm dữ liệu",
        description_vi: "Lệnh đã được chấp nhận nhưng máy chủ cần thêm dữ liệu để hoàn tất, như nội dung thư sau DATA (354) hoặc bước tiếp theo của AUTH. Đây chưa phải kết quả: phản hồi tiếp theo mới quyết định.",
    },
    // Source: RFC 5321 section 4.2.1 (4yz). Printed also for 4xx answers to AUTH and STARTTLS
    // (432, 454), hence "for a message".
    Generic {
        digit: 4,
        title: "Transient negative completion",
        description: "The command failed for a temporary reason; the same command may succeed later. For a message, the sending MTA keeps it queued and retries on its own, so act only if the same failure persists for hours or ends in a bounce.",
        title_vi: "Thất bại tạm thời",
        description_vi: "Lệnh thất bại vì lý do tạm thời; lần sau cùng lệnh đó có thể thành công. Với một bức thư, MTA gửi giữ thư trong hàng đợi và tự thử lại, vì vậy chỉ cần xử lý nếu cùng một lỗi kéo dài nhiều giờ hoặc cuối cùng thư bị trả về.",
    },
    // Source: RFC 5321 section 4.2.1 (5yz). Printed also for 5xx answers to AUTH, VRFY and unknown
    // commands (500, 502, 534, 535, 538), so no unconditional "bounced".
    Generic {
        digit: 5,
        title: "Permanent negative completion",
        description: "The command failed permanently: repeating it unchanged fails again until the cause is fixed. When the refused command carries a message or a recipient (MAIL, RCPT, the end of DATA), the sending MTA gives up and returns a bounce to the sender; a 5xx to other commands, such as AUTH, VRFY or an unknown command, refuses only that command.",
        title_vi: "Thất bại vĩnh viễn",
        description_vi: "Lệnh thất bại vĩnh viễn: lặp lại y như cũ sẽ vẫn thất bại cho tới khi nguyên nhân được khắc phục. Khi lệnh bị từ chối liên quan tới thư hoặc người nhận (MAIL, RCPT, phần kết thúc DATA), MTA gửi bỏ cuộc và gửi thư báo lỗi về cho người gửi; mã 5xx cho các lệnh khác, như AUTH, VRFY hay một lệnh lạ, chỉ từ chối riêng lệnh đó.",
    },
];

/// Categories (second digit) of basic reply codes, RFC 5321 section 4.2.1.
pub static BASIC_CATEGORIES: &[Generic] = &[
    Generic {
        digit: 0,
        title: "Syntax",
        description: "Replies about command syntax: syntax errors, commands that fit no other category, and commands that are not implemented or not needed.",
        title_vi: "Cú pháp",
        description_vi: "Phản hồi về cú pháp lệnh: lỗi cú pháp, lệnh không thuộc nhóm nào khác, và lệnh chưa được hỗ trợ hoặc không cần thiết.",
    },
    Generic {
        digit: 1,
        title: "Information",
        description: "Replies to requests for information, such as status or help.",
        title_vi: "Thông tin",
        description_vi: "Phản hồi cho các yêu cầu thông tin, như trạng thái hoặc trợ giúp.",
    },
    Generic {
        digit: 2,
        title: "Connections",
        description: "Replies about the transmission channel itself, such as the greeting and the closing of the connection.",
        title_vi: "Kết nối",
        description_vi: "Phản hồi về chính kênh truyền, như lời chào và việc đóng kết nối.",
    },
    Generic {
        digit: 3,
        title: "Unspecified",
        description: "RFC 5321 gives this category no meaning of its own; extensions use it, e.g. 530, 534, 535 and 538 for authentication (RFC 4954).",
        title_vi: "Chưa xác định",
        description_vi: "RFC 5321 không gán ý nghĩa riêng cho nhóm này; các phần mở rộng có dùng nó, ví dụ 530, 534, 535 và 538 cho xác thực (RFC 4954).",
    },
    Generic {
        digit: 4,
        title: "Unspecified",
        description: "RFC 5321 gives this category no meaning of its own; extensions use it, e.g. 454 for temporary authentication or TLS failures.",
        title_vi: "Chưa xác định",
        description_vi: "RFC 5321 không gán ý nghĩa riêng cho nhóm này; các phần mở rộng có dùng nó, ví dụ 454 cho lỗi xác thực hoặc TLS tạm thời.",
    },
    Generic {
        digit: 5,
        title: "Mail system",
        description: "Replies about the state of the receiving mail system with respect to the requested transfer or other mail action, such as mailboxes and storage.",
        title_vi: "Hệ thống thư",
        description_vi: "Phản hồi về tình trạng của hệ thống thư phía nhận đối với việc chuyển thư hoặc thao tác thư được yêu cầu, như hộp thư và dung lượng lưu trữ.",
    },
];

/// Classes (first digit) of enhanced status codes, RFC 3463.
pub static ENHANCED_CLASSES: &[Generic] = &[
    // Source: RFC 3463 section 2 (class 2); RFC 2034 section 3 (enhanced codes in every 2xx
    // reply but the greeting and EHLO, so also 221 2.0.0 and 235 2.7.0).
    Generic {
        digit: 2,
        title: "Success",
        description: "Success: the action that the reply or the delivery report is about was completed. The detail may note something done along the way, such as a conversion. Nothing to retry.",
        title_vi: "Thành công",
        description_vi: "Thành công: thao tác mà phản hồi hoặc báo cáo chuyển thư nói tới đã hoàn tất. Phần chi tiết có thể ghi chú điều đã xảy ra trên đường đi, như một lần chuyển đổi. Không có gì cần thử lại.",
    },
    // Source: RFC 3463 section 2 (class 4, persistent transient failure); also printed for 4.7.0
    // answers to AUTH and STARTTLS.
    Generic {
        digit: 4,
        title: "Persistent transient failure",
        description: "A temporary condition delayed or stopped the action; the same attempt may succeed later. For a message, the sending MTA keeps it queued and retries, so act only if the condition persists; the message may still be delivered.",
        title_vi: "Lỗi tạm thời kéo dài",
        description_vi: "Một tình trạng tạm thời đã làm chậm hoặc ngăn thao tác; lần thử sau có thể thành công. Với một bức thư, MTA gửi giữ thư trong hàng đợi và thử lại, vì vậy chỉ cần xử lý nếu tình trạng kéo dài; thư vẫn có thể được chuyển tới nơi.",
    },
    // Source: RFC 3463 section 2 (class 5); also printed for 5.7.8 and 5.5.2 answers to AUTH
    // and unknown commands.
    Generic {
        digit: 5,
        title: "Permanent failure",
        description: "Repeating the attempt unchanged will not succeed; something must change first. For a message or a recipient, the sending MTA gives up and returns a bounce to the sender; for other commands, such as AUTH, only that command is refused.",
        title_vi: "Lỗi vĩnh viễn",
        description_vi: "Lặp lại y như cũ sẽ không thành công; phải thay đổi điều gì đó trước. Với một bức thư hay một người nhận, MTA gửi bỏ cuộc và gửi thư báo lỗi về cho người gửi; với các lệnh khác, như AUTH, chỉ riêng lệnh đó bị từ chối.",
    },
];

/// Subjects (middle digit) of enhanced status codes, RFC 3463.
pub static ENHANCED_SUBJECTS: &[Generic] = &[
    Generic {
        digit: 0,
        title: "Other or undefined status",
        description: "No further subject information is available; only the class is meaningful.",
        title_vi: "Trạng thái khác hoặc không xác định",
        description_vi: "Không có thêm thông tin về chủ đề; chỉ có lớp mã là có ý nghĩa.",
    },
    Generic {
        digit: 1,
        title: "Addressing status",
        description: "About the sender or recipient address: its syntax or whether it is valid. The sender can usually correct these and try again.",
        title_vi: "Trạng thái địa chỉ",
        description_vi: "Liên quan tới địa chỉ người gửi hoặc người nhận: cú pháp hoặc tính hợp lệ. Người gửi thường có thể sửa rồi gửi lại.",
    },
    Generic {
        digit: 2,
        title: "Mailbox status",
        description: "About the recipient's mailbox, for example full or disabled; such issues are generally under the recipient's control.",
        title_vi: "Trạng thái hộp thư",
        description_vi: "Liên quan tới hộp thư của người nhận, ví dụ bị đầy hoặc bị vô hiệu hóa; những vấn đề này thường thuộc quyền kiểm soát của người nhận.",
    },
    Generic {
        digit: 3,
        title: "Mail system status",
        description: "About the destination mail system as a whole, such as storage or size limits; generally up to the destination's administrator.",
        title_vi: "Trạng thái hệ thống thư",
        description_vi: "Liên quan tới toàn bộ hệ thống thư đích, như dung lượng lưu trữ hoặc giới hạn kích thước; thường thuộc trách nhiệm của quản trị viên phía đích.",
    },
    Generic {
        digit: 4,
        title: "Network and routing status",
        description: "About the delivery infrastructure, such as connections, DNS and routing; generally up to the administrator of the destination or of an intermediate system.",
        title_vi: "Trạng thái mạng và định tuyến",
        description_vi: "Liên quan tới hạ tầng chuyển thư như kết nối, DNS và định tuyến; thường thuộc trách nhiệm của quản trị viên phía đích hoặc của hệ thống trung gian.",
    },
    Generic {
        digit: 5,
        title: "Mail delivery protocol status",
        description: "About the protocol exchange itself: commands, syntax, sequence and arguments, whether caused by software bugs or unreliable connections.",
        title_vi: "Trạng thái giao thức chuyển thư",
        description_vi: "Liên quan tới chính việc trao đổi giao thức: lệnh, cú pháp, thứ tự và tham số, dù do lỗi phần mềm hay kết nối không ổn định.",
    },
    Generic {
        digit: 6,
        title: "Message content or media status",
        description: "About the message content: conversion, encoding or unsupported media; both sides need a common set of supported content types.",
        title_vi: "Trạng thái nội dung thư",
        description_vi: "Liên quan tới nội dung thư: chuyển đổi, mã hóa hoặc định dạng không được hỗ trợ; hai phía cần hỗ trợ chung một tập kiểu nội dung.",
    },
    Generic {
        digit: 7,
        title: "Security or policy status",
        description: "About security and policy: relay and access rules, filtering, authentication, SPF, DKIM and DMARC, and cryptography; the sender, the receiver or both may need to act.",
        title_vi: "Trạng thái bảo mật hoặc chính sách",
        description_vi: "Liên quan tới bảo mật và chính sách: quy tắc relay và truy cập, bộ lọc, xác thực, SPF, DKIM và DMARC, và mật mã; phía gửi, phía nhận hoặc cả hai có thể cần xử lý.",
    },
];
