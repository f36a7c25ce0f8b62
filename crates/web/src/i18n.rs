//! Interface texts in Vietnamese and English. One macro line per text keeps both languages
//! side by side, and a text missing in either language is a compile error.

use chiso_core::lang::Lang;

macro_rules! texts {
    ($($key:ident: $vi:literal, $en:literal;)*) => {
        /// Every interface text, in one language.
        #[derive(Debug)]
        pub struct Texts { $(pub $key: &'static str,)* }
        /// Vietnamese.
        pub static VI: Texts = Texts { $($key: $vi,)* };
        /// English.
        pub static EN: Texts = Texts { $($key: $en,)* };
    };
}

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

texts! {
    app_tagline: "Chỉ số cải cách hành chính", "Administrative reform index";
    skip_to_content: "Chuyển đến nội dung chính", "Skip to main content";
    footer: "Hệ thống theo dõi, đánh giá Chỉ số CCHC", "PAR index assessment and tracking";
    nav_label: "Chức năng chính", "Main sections";
    nav_soon: "Đang xây dựng, chưa sử dụng được", "Being built, not available yet";
    nav_dashboard: "Tổng quan", "Overview";
    nav_units: "Đơn vị", "Units";
    nav_accounts: "Tài khoản", "Accounts";
    nav_frameworks: "Bộ chỉ số", "Frameworks";
    nav_rounds: "Đánh giá", "Assessment";
    nav_results: "Kết quả", "Results";
    nav_plans: "Kế hoạch", "Plans";
    nav_surveys: "Điều tra XHH", "Surveys";
    nav_audit: "Nhật ký", "Audit log";
    logout: "Đăng xuất", "Sign out";
    back_home: "Về trang tổng quan", "Back to the overview";
    error_code: "Mã lỗi", "Error code";

    flash_saved: "Đã lưu.", "Saved.";
    flash_password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất.", "Password changed. Your other sessions were signed out.";
    flash_logged_out: "Bạn đã đăng xuất.", "You have signed out.";
    flash_imported: "Đã nhập dữ liệu đơn vị.", "Units imported.";
    flash_framework_imported: "Đã lưu bộ chỉ số.", "Framework stored.";

    login_title: "Đăng nhập", "Sign in";
    login_intro: "Dùng tài khoản do Sở Nội vụ cấp.", "Use the account the Department of Home Affairs gave you.";
    login_button: "Đăng nhập", "Sign in";
    login_failed: "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user name or password.";
    login_locked: "Đăng nhập sai quá nhiều lần. Tạm khóa đến", "Too many failed attempts. Locked until";
    username: "Tên đăng nhập", "User name";
    password: "Mật khẩu", "Password";
    person: "Người dùng", "Person";
    demo_title: "Tài khoản dùng thử (dữ liệu mẫu tỉnh Minh Sơn)", "Demo accounts (sample province of Minh Sơn)";
    demo_intro: "Đây là bản chạy thử với dữ liệu giả định. Mật khẩu chung:", "This is a demo with invented data. Shared password:";

    hello: "Xin chào,", "Hello,";
    today: "hôm nay", "today";
    dashboard_help: "Trang tổng quan cho biết tình hình chung và việc cần làm tiếp theo. Các phần đánh giá, kết quả và kế hoạch sẽ xuất hiện ở đây khi được mở.", "The overview shows where things stand and what to do next. Assessment, results and plans appear here as they open.";
    summary: "Số liệu chung", "Summary";
    departments_active: "sở, ban, ngành đang hoạt động", "departments in operation";
    communes_active: "xã, phường, đặc khu đang hoạt động", "communes and wards in operation";
    accounts_total: "tài khoản", "accounts";
    next_steps: "Việc cần làm", "Next steps";
    step_check_units: "Kiểm tra danh sách đơn vị (nhập từ CSV nếu cần)", "Check the list of units (import from CSV if needed)";
    step_create_accounts: "Tạo tài khoản cho cán bộ đầu mối và lãnh đạo các đơn vị", "Create accounts for unit focal points and leaders";
    recent_activity: "Hoạt động gần đây", "Recent activity";
    see_audit: "Xem toàn bộ nhật ký", "See the whole audit log";
    when: "Thời điểm", "When";
    who: "Người thực hiện", "Who";
    what: "Nội dung", "What";

    my_account: "Tài khoản của tôi", "My account";
    full_name: "Họ và tên", "Full name";
    job_title: "Chức vụ", "Position";
    email: "Thư điện tử", "E-mail";
    unit: "Đơn vị", "Unit";
    roles: "Vai trò", "Roles";
    role: "Vai trò", "Role";
    fields: "Lĩnh vực phụ trách", "Fields in charge";
    all_fields: "Tất cả lĩnh vực", "All fields";
    fields_hint: "Mã lĩnh vực của bộ chỉ số, cách nhau bằng dấu phẩy (vd. 2, 3). Để trống nếu phụ trách tất cả.", "Field codes of the framework, separated by commas (e.g. 2, 3). Leave empty for all fields.";
    last_login: "Đăng nhập gần nhất", "Last sign-in";
    change_password: "Đổi mật khẩu", "Change password";
    must_change_intro: "Đây là lần đăng nhập đầu tiên hoặc mật khẩu vừa được cấp lại: hãy đặt mật khẩu của riêng bạn để tiếp tục.", "This is your first sign-in or your password was just reset: choose your own password to go on.";
    password_rules: "Mật khẩu mới có ít nhất 10 ký tự và không chứa tên đăng nhập. Nên dùng một câu dễ nhớ.", "The new password needs at least 10 characters and must not contain your user name. A memorable sentence works well.";
    password_current: "Mật khẩu hiện tại", "Current password";
    password_new: "Mật khẩu mới", "New password";
    password_repeat: "Nhập lại mật khẩu mới", "Repeat the new password";
    password_current_wrong: "Mật khẩu hiện tại không đúng.", "The current password is wrong.";
    save: "Lưu", "Save";
    edit: "Sửa", "Edit";
    history: "Lịch sử thay đổi", "Change history";
    form_has_errors: "Biểu mẫu còn lỗi, xem các ô được đánh dấu bên dưới. Chưa có gì được lưu.", "The form has errors, see the marked fields below. Nothing was saved.";

    units_help: "Danh sách đơn vị hành chính của tỉnh: sở, ban, ngành và xã, phường. Mặc định chỉ hiện các đơn vị còn hiệu lực hôm nay; xóa ô ngày để xem cả đơn vị đã giải thể (như cấp huyện trước 01/07/2025).", "The province's administrative units: departments and communes. By default only units valid today are shown; clear the date to include dissolved units (such as districts before 01/07/2025).";
    search: "Tìm", "Search";
    units_search_hint: "Tên hoặc mã, có dấu hay không dấu", "Name or code, with or without accents";
    unit_type: "Loại đơn vị", "Unit type";
    all: "Tất cả", "All";
    valid_on: "Hiệu lực vào ngày", "Valid on";
    filter: "Lọc", "Filter";
    code: "Mã", "Code";
    name: "Tên", "Name";
    parent: "Đơn vị cấp trên", "Parent unit";
    no_parent: "(Không có — cấp tỉnh)", "(None — province level)";
    valid_from: "Hiệu lực từ", "Valid from";
    valid_to: "Hiệu lực đến", "Valid to";
    valid_to_hint: "Để trống nếu đơn vị vẫn đang hoạt động.", "Leave empty if the unit still exists.";
    still_valid: "Đang hoạt động", "Still in operation";
    no_units_found: "Không có đơn vị nào khớp bộ lọc.", "No unit matches the filter.";
    rows_shown: "Số dòng", "Rows";
    units_below: "Đơn vị trực thuộc", "Units below";
    unit_accounts: "Tài khoản của đơn vị", "Accounts of this unit";
    no_accounts_in_unit: "Đơn vị chưa có tài khoản nào.", "This unit has no accounts yet.";
    unit_add: "Thêm đơn vị", "Add a unit";
    unit_edit: "Sửa đơn vị", "Edit unit";
    unit_form_help: "Mã đơn vị viết không dấu (vd. STP, XA-TANLAP). Sở và cấp huyện trực thuộc tỉnh; xã, phường trực thuộc tỉnh (từ 01/07/2025) hoặc huyện (trước đó).", "Codes are written without accents (e.g. STP, XA-TANLAP). Departments and districts sit under the province; communes under the province (from 01/07/2025) or a district (before).";
    unit_type_required: "Chọn loại đơn vị.", "Choose a unit type.";
    date_invalid: "Ngày không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 01/07/2025.", "Invalid date; write dd/mm/yyyy, e.g. 01/07/2025.";
    parent_missing: "Đơn vị cấp trên không tồn tại.", "The parent unit does not exist.";
    unit_code_taken: "Mã này đã được dùng cho đơn vị khác.", "This code is already used by another unit.";
    units_import: "Nhập từ tệp CSV", "Import from CSV";
    units_export: "Tải về CSV (để sửa và nhập lại)", "Download CSV (to edit and import)";
    units_export_xlsx: "Tải về Excel", "Download Excel";
    import_help: "Chọn tệp CSV (UTF-8, dấu phẩy hoặc chấm phẩy). Hệ thống kiểm tra toàn bộ tệp và cho xem trước các thay đổi; chỉ khi bạn bấm Áp dụng dữ liệu mới được ghi, và ghi tất cả hoặc không ghi gì.", "Choose a CSV file (UTF-8, comma or semicolon separated). The whole file is checked and the changes are previewed; data is written only when you press Apply, and then all of it or nothing.";
    import_columns: "Các cột", "Columns";
    import_columns_hint: "Tiêu đề tiếng Việt (Mã, Tên, Loại, Mã cấp trên, Hiệu lực từ, Hiệu lực đến) cũng được chấp nhận. Tệp tải về từ trang Đơn vị có đúng định dạng này.", "Vietnamese headers (Mã, Tên, Loại, Mã cấp trên, Hiệu lực từ, Hiệu lực đến) are accepted too. The file downloaded from the Units page has this format.";
    import_refused: "Tệp chưa nhập được, cần sửa các lỗi sau", "The file was not imported; fix these errors";
    import_preview: "Xem trước", "Preview";
    import_summary_changes: "Số thay đổi", "Changes";
    import_summary_unchanged: "Không đổi", "Unchanged";
    import_apply: "Áp dụng", "Apply";
    import_check: "Kiểm tra tệp", "Check the file";
    import_choose_file: "Tệp CSV", "CSV file";
    import_no_file: "Chưa chọn tệp nào.", "No file was chosen.";
    import_create: "Thêm mới", "New";
    import_update: "Cập nhật", "Update";
    line: "Dòng", "Line";
    change: "Thay đổi", "Change";

    accounts_help: "Tài khoản của cán bộ các đơn vị. Tài khoản mới nhận mật khẩu dùng một lần và phải đổi mật khẩu khi đăng nhập lần đầu.", "Accounts of unit staff. A new account gets a one-time password and must change it at first sign-in.";
    account_add: "Tạo tài khoản", "Create an account";
    account_edit: "Sửa tài khoản", "Edit account";
    account_form_help: "Mỗi tài khoản thuộc một đơn vị và có một hoặc nhiều vai trò. Cán bộ đầu mối và thành viên thẩm định có thể được giới hạn theo lĩnh vực.", "Each account belongs to one unit and has one or more roles. Focal points and appraisers can be limited to some fields.";
    status: "Trạng thái", "Status";
    active: "Đang hoạt động", "Active";
    inactive: "Đã khóa", "Disabled";
    awaiting_password_change: "Chờ đổi mật khẩu", "Awaiting password change";
    no_accounts_found: "Không có tài khoản nào khớp bộ lọc.", "No account matches the filter.";
    username_invalid: "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.", "User names have 3–64 characters: letters without accents, digits, '.', '-', '_'.";
    username_taken: "Tên đăng nhập này đã có người dùng.", "This user name is taken.";
    full_name_required: "Nhập họ và tên.", "Enter the full name.";
    email_invalid: "Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is not valid.";
    unit_required: "Chọn đơn vị.", "Choose a unit.";
    role_required: "Chọn ít nhất một vai trò.", "Choose at least one role.";
    cannot_lock_self_out: "Bạn không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình.", "You cannot remove your own administrator role or disable your own account.";
    reset_password: "Cấp lại mật khẩu", "Reset password";
    reset_password_help: "Tạo mật khẩu dùng một lần mới và đăng xuất tài khoản khỏi mọi thiết bị.", "Creates a new one-time password and signs the account out everywhere.";
    account_created: "Đã tạo tài khoản", "Account created";
    password_was_reset: "Đã cấp lại mật khẩu", "Password reset";
    one_time_password: "Mật khẩu dùng một lần", "One-time password";
    one_time_password_help: "Mật khẩu này chỉ hiện một lần. Hãy chuyển cho người dùng qua kênh an toàn; họ phải đổi mật khẩu khi đăng nhập lần đầu.", "This password is shown once. Pass it to the person through a safe channel; they must change it at first sign-in.";
    back_to_accounts: "Về danh sách tài khoản", "Back to the accounts";

    frameworks_help: "Bộ chỉ số là cây lĩnh vực → tiêu chí → tiêu chí thành phần với điểm tối đa và cách chấm. Mỗi phiên bản đã lưu không bị sửa; thay đổi được lưu thành phiên bản mới.", "A framework is the tree of fields → criteria → sub-criteria with maximum points and scoring rules. A stored version never changes; a change is stored as a new version.";
    framework_import: "Nhập bộ chỉ số", "Import a framework";
    framework_import_help: "Chọn tệp YAML hoặc Excel (.xlsx) theo mẫu. Hệ thống kiểm tra toàn bộ tệp, liệt kê mọi lỗi kèm vị trí, và cho xem trước; chỉ khi bấm Lưu thì bộ chỉ số mới được ghi. Tải một bộ chỉ số về dạng Excel để có tệp mẫu.", "Choose a YAML or Excel (.xlsx) file in the template's form. The whole file is checked, every error listed with its place, and previewed; the framework is stored only when you press Store. Download a framework as Excel to get a template.";
    framework_file_types: "Tệp phải có đuôi .yaml, .yml hoặc .xlsx.", "The file must end in .yaml, .yml or .xlsx.";
    framework_choose_file: "Tệp bộ chỉ số (.yaml, .xlsx)", "Framework file (.yaml, .xlsx)";
    framework_store: "Lưu bộ chỉ số", "Store the framework";
    framework_new: "Bộ chỉ số mới, chưa có phiên bản nào được lưu.", "A new framework: no version is stored yet.";
    framework_unchanged: "Giống hệt phiên bản đã lưu; không có gì để lưu.", "Identical to the stored version; nothing to store.";
    framework_new_version: "Phiên bản mới. Thay đổi so với phiên bản đã lưu:", "A new version. Changes from the stored version:";
    frameworks_empty: "Chưa có bộ chỉ số nào. Hãy nhập một tệp, hoặc chạy với --demo để có thư viện mẫu.", "No framework yet. Import a file, or run with --demo for the built-in library.";
    year: "Năm", "Year";
    version: "Phiên bản", "Version";
    nodes: "Số mục", "Nodes";
    max_points: "Điểm tối đa", "Maximum";
    total: "Tổng", "Total";
    scoring_rule: "Cách chấm", "Scoring rule";
    lead_unit: "Đơn vị chủ trì", "Lead unit";
    illustrative: "Minh họa", "Illustrative";
    illustrative_help: "Dữ liệu minh họa, không phải số liệu chính thức.", "Illustrative data, not official figures.";
    survey_points: "Điểm điều tra XHH", "Survey points";
    decision: "Quyết định", "Decision";
    source: "Nguồn", "Source";
    shape: "Cấu trúc", "Structure";
    fields_criteria_leaves: "lĩnh vực / tiêu chí / tiêu chí được chấm điểm", "fields / criteria / scored items";
    not_applicable_when: "Không áp dụng khi", "Not applicable when";
    may_be_not_applicable: "Đơn vị được khai báo không áp dụng", "A unit may declare it not applicable";
    not_counted: "không tính vào điểm tối đa", "not counted in the maximum";
    download_yaml: "Tải YAML", "Download YAML";
    framework_clone: "Tạo bản cho năm", "Copy for year";
    assign_leads: "Phân công đơn vị chủ trì", "Assign lead units";
    framework_edit: "Sửa", "Edit";
    library_title: "Thư viện bộ chỉ số có sẵn", "Built-in framework library";
    library_help: "Bộ chỉ số cấp tỉnh theo 876/QĐ-BNV và các bộ chỉ số mẫu cho sở, xã và SIPAS. Phần đánh dấu Minh họa không phải số liệu chính thức; hãy sửa theo quyết định của tỉnh trước khi dùng.", "The provincial framework of 876/QĐ-BNV and sample frameworks for departments, communes and SIPAS. Parts marked Illustrative are not official; adapt them to the province's decision before use.";
    library_load: "Nạp", "Load";
    library_stored: "Đã có", "Stored";
    framework_edit_help: "Sửa tên, điểm tối đa, hướng dẫn và tài liệu kiểm chứng; hệ thống kiểm tra ngay khi bạn gõ. Khi lưu, bộ chỉ số được lưu thành phiên bản mới; phiên bản cũ giữ nguyên. Cách chấm và cấu trúc cây sửa qua tệp Excel hoặc YAML.", "Edit names, maxima, guidance and evidence; each change is checked as you type. Saving stores a new version; the old one stays as it was. Scoring rules and the tree's shape are edited through the Excel or YAML file.";
    framework_edit_save: "Lưu thành phiên bản", "Store as version";
    edit_no_problems: "Không có lỗi.", "No problems.";
    assign_leads_help: "Mỗi lĩnh vực có một sở chủ trì, mặc định theo bộ chỉ số. Tài khoản của sở chủ trì được giao nhập số liệu cho lĩnh vực đó.", "Each field has a lead department, by default the one in the framework. The lead department's accounts enter that field's figures.";
    field: "Lĩnh vực", "Field";
    changed_from_default: "đã đổi so với mặc định", "changed from the default";
    fields_led: "Lĩnh vực do đơn vị chủ trì", "Fields this unit leads";
    rounds_help: "Mỗi đợt đánh giá gồm một bộ chỉ số, các đơn vị được đánh giá và các mốc thời gian. Sở Nội vụ chuyển đợt qua từng giai đoạn; mở lại giai đoạn trước cần ghi lý do.", "A round has a framework, the units assessed and its dates. The Department of Home Affairs moves it through its phases; reopening the previous phase needs a reason.";
    round_new: "Tạo đợt đánh giá", "Create a round";
    round_new_help: "Đợt đánh giá áp dụng cho mọi đơn vị cùng loại với bộ chỉ số đang hoạt động vào ngày bắt đầu. Các mốc đề xuất theo kế hoạch năm (tự đánh giá 01–25/12, thẩm định đến 15/01).", "The round covers every unit of the framework's type in operation on the opening day. The proposed dates follow the yearly plan (self-assessment 01–25/12, appraisal by 15/01).";
    rounds_empty: "Chưa có đợt đánh giá nào.", "No round yet.";
    round_framework_required: "Chọn bộ chỉ số.", "Choose a framework.";
    round_no_units: "Không có đơn vị nào thuộc loại này đang hoạt động vào ngày bắt đầu.", "No unit of this type is in operation on the opening day.";
    round_reopen_reason: "Cần ghi lý do mở lại giai đoạn trước.", "Give the reason for reopening the previous phase.";
    phase: "Giai đoạn", "Phase";
    submission_due: "Hạn gửi", "Submission due";
    progress_submitted: "Đã gửi / tổng số", "Submitted / total";
    round_units: "Đơn vị được đánh giá", "Units assessed";
    round_next: "Chuyển sang giai đoạn", "Move to";
    round_reopen: "Mở lại giai đoạn", "Reopen";
    reason: "Lý do", "Reason";
    extension: "Gia hạn đến", "Extended to";
    grid_help: "Khai báo số liệu hoặc chọn mức cho từng tiêu chí rồi bấm Lưu; điểm được tính theo cách chấm của bộ chỉ số. Mỗi tiêu chí lưu riêng, không mất dữ liệu đã lưu khi hết phiên. Khi xong, lãnh đạo đơn vị duyệt và gửi.", "Declare the figures or choose the level of each item and press Save; the score follows the framework's rule. Each item saves on its own, so nothing saved is lost when a session ends. When done, the unit leader approves and submits.";
    grid_closed: "Ngoài thời hạn tự đánh giá: chỉ xem.", "Outside the self-assessment window: read only.";
    grid_scored: "Đã chấm", "Scored";
    grid_explained: "Có giải trình", "Explained";
    grid_self_points: "Điểm tự chấm", "Self score";
    grid_submit: "Duyệt và gửi kết quả tự đánh giá", "Approve and submit";
    grid_withdraw: "Rút lại để sửa", "Withdraw to edit";
    grid_conflict: "Tiêu chí vừa được lưu bởi người khác; đây là nội dung hiện tại. Hãy kiểm tra rồi lưu lại:", "Someone else just saved this item; here is what is stored now. Check it and save again:";
    grid_survey_item: "Điểm tiêu chí này lấy từ kết quả điều tra xã hội học.", "This item's points come from the survey.";
    round_unit_actions: "Gia hạn, mở lại", "Extend, reopen";
    round_unit_reopen: "Mở lại cho đơn vị sửa", "Reopen for the unit";
    reason_required: "Cần ghi lý do.", "A reason is required.";
    evidence_add: "Thêm tài liệu kiểm chứng", "Add evidence";
    evidence_file: "Tệp (PDF, Word, Excel, ảnh)", "File (PDF, Word, Excel, image)";
    evidence_number: "Số văn bản", "Document number";
    evidence_date: "Ngày ban hành", "Date issued";
    evidence_issuer: "Cơ quan ban hành", "Issued by";
    evidence_effective: "Ngày hiệu lực", "Effective date";
    evidence_upload: "Tải lên", "Upload";
    my_rounds: "Đánh giá của đơn vị", "Your unit's assessments";
    item_history: "Lịch sử điểm", "Score history";
    history_empty: "Chưa có thay đổi điểm nào.", "No score change yet.";
    grid_level: "Mức đạt được", "Level reached";
    grid_deduction: "Điểm trừ nếu không đạt", "Deducted if not met";
    grid_met: "Đạt yêu cầu", "Requirement met";
    grid_points: "Điểm tự chấm", "Self score";
    grid_explanation: "Giải trình", "Explanation";
    yes: "Có", "Yes";
    no: "Không", "No";
    unknown: "Chưa xác định", "Unknown";
    unit_attributes: "Thuộc tính đơn vị", "Unit attributes";
    unit_attributes_help: "Thuộc tính quyết định phần nào của bộ chỉ số áp dụng cho đơn vị. \"Chưa xác định\" thì mọi tiêu chí đều áp dụng; \"Không\" có thể làm một lĩnh vực không áp dụng, khi đó điểm tối đa của đơn vị giảm và chỉ số được quy đổi.", "Attributes decide which parts of a framework apply to the unit. \"Unknown\" keeps every criterion; \"No\" may exempt a field, which lowers the unit's maximum and rescales its index.";
    edit_attributes: "Sửa thuộc tính", "Edit attributes";
    applicable_frameworks: "Bộ chỉ số áp dụng", "Applicable frameworks";
    applicable_max: "Điểm tối đa áp dụng", "Applicable maximum";
    exempt: "Không áp dụng", "Exempt";
    no_frameworks_for_type: "Chưa có bộ chỉ số nào cho loại đơn vị này.", "No framework for this unit type yet.";
    download_xlsx: "Tải Excel", "Download Excel";
    guidance: "Hướng dẫn", "Guidance";
    evidence: "Tài liệu kiểm chứng", "Evidence";
    audit_help: "Mọi thay đổi dữ liệu đều được ghi lại tại đây và không thể sửa hay xóa.", "Every change to the data is recorded here and cannot be edited or deleted.";
    audit_filtered: "Đang xem lịch sử của", "Showing the history of";
    audit_empty: "Chưa có hoạt động nào.", "No activity yet.";
    action: "Thao tác", "Action";
    details: "Chi tiết", "Details";
    show: "Xem", "Show";
    before: "Trước", "Before";
    after: "Sau", "After";
    older: "Cũ hơn", "Older";
    grid_evidenced: "Có tài liệu", "With documents";
    grid_unsupported: "Có điểm tự chấm nhưng chưa có tài liệu kiểm chứng: cần giải trình.", "Points claimed without a document: an explanation is required.";
    grid_unsupported_refused: "Chưa gửi được: các tiêu chí sau có điểm tự chấm nhưng không có tài liệu kiểm chứng và không có giải trình:", "Not submitted: these items claim points with neither a document nor an explanation:";
    appraisal: "Thẩm định", "Appraisal";
    appraisal_1: "Thẩm định lần 1", "Appraisal, round 1";
    appraisal_2: "Thẩm định lần 2", "Appraisal, round 2";
    appraised_points: "Điểm thẩm định", "Appraised score";
    appraiser: "Người thẩm định", "Appraiser";
    appraisal_baseline: "Điểm trước đó", "Previous score";
    appraisal_ask: "Đề nghị đơn vị", "Ask the unit";
    ask_explanation: "Giải trình", "To explain";
    ask_evidence: "Bổ sung tài liệu", "To add documents";
    appraisal_reason: "Lý do điều chỉnh / nội dung đề nghị", "Reason for the change / what is asked";
    appraisal_save: "Lưu thẩm định", "Save appraisal";
    corrected_figures: "số liệu sau thẩm định", "figures as appraised";
    answer: "Giải trình của đơn vị", "The unit's answer";
    answer_save: "Lưu giải trình", "Save answer";
    answer_required: "Nhập nội dung giải trình.", "Write the answer.";
    send_explanation: "Duyệt và gửi giải trình", "Approve and send the explanations";
    conclude_1: "Kết thúc thẩm định lần 1", "Conclude appraisal round 1";
    conclude_2: "Chốt điểm (kết thúc thẩm định lần 2)", "Settle the scores (conclude round 2)";
    final_points: "Điểm chốt", "Final score";
    correction: "Điều chỉnh điểm chốt", "Correct the final score";
    correction_points: "Điểm sau điều chỉnh", "Corrected score";
    council: "Tổng hợp thẩm định", "Council view";
    council_help: "Mỗi ô: điểm tự chấm (trên) và điểm thẩm định hoặc điểm chốt (dưới, in đậm). Ô tô màu là lĩnh vực có điểm thay đổi.", "Each cell: self score (top) and appraised or final score (bottom, bold). Highlighted cells are fields whose score changed.";
    changed_items: "Tiêu chí bị điều chỉnh", "Items changed";
    open_questions: "Đề nghị chưa giải trình", "Open questions";
    inbox: "Thông báo", "Notices";
    inbox_empty: "Chưa có thông báo.", "No notices yet.";
    inbox_mark_read: "Đánh dấu đã đọc tất cả", "Mark all read";
    last_year: "Năm trước", "Last year";
    last_year_declared: "Đã khai báo", "Declared";
    last_year_use: "Dùng lại số liệu năm trước", "Use last year's figures";
    last_year_reuse_doc: "Dùng lại cho năm nay", "Reuse this year";
    round_previous: "Kế thừa từ đợt", "Continues";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_texts_carry_diacritics_and_differ_from_english() {
        assert_eq!(VI.nav_units, "Đơn vị");
        assert_eq!(EN.nav_units, "Units");
        assert!(VI.login_failed.contains("không đúng"));
    }
}
