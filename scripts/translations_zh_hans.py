"""Simplified-Chinese translations of every msgid, in the vocabulary of Chinese government documents.

`scripts/fill_zh_hans.py` fills jianfu/locale/zh_Hans/LC_MESSAGES/django.po from this dict after
`jianfu makemessages`; `scripts/fill_hant.py` then derives the traditional-Chinese catalogue.

Keys:
  "msgid"                          an ordinary message
  ("msgid", "msgid_plural")        a plural message; the value is the one Chinese form (nplurals=1)
  "context\x04msgid"               a message with a context (pgettext), gettext's own notation

Keep every placeholder exactly as in the msgid: %(name)s, %(count)d, and the %(var)s that a
{% blocktrans %} {{ var }} becomes in the .po. The house vocabulary (docs/glossary.md names the models'):

  Unit 单位 · Task force 工作推进专班 (a task force 专班) · Membership 任职 ·
  ImportJob 导入任务 · Task-force officer 专班干部 · Department clerk 部门经办人 ·
  Grassroots cadre 基层干部 · Oversight officer 纪检监督干部 · Leader 领导 ·
  System administrator 系统管理员 · Liaison 联络员 · City 市 · County / district 县（市、区） ·
  Township / street 乡镇（街道） · Village / community 村（社区） · City department 市直部门 ·
  Other body 其他单位 · secondment 抽调 · Audit log 审计日志 · control number 准入编号 ·
  demand 事项 · burden 负担 · Import 导入 · Export .xlsx 导出 Excel · Log in 登录 ·
  Log out 退出 · read only 只读 · Active / Inactive 启用 / 停用
"""

from __future__ import annotations

PLURAL = tuple[str, str]

TRANSLATIONS: dict[str | PLURAL, str] = {
    # ------------------------------------------------------------------ product name, layout
    "Jianfu": "减负",
    "Jianfu — lifting burdens off the grassroots": "减负——切实为基层减轻负担",
    "Jianfu — a campaign platform against formalism and bureaucratism":
        "减负——集中整治形式主义、官僚主义工作平台",
    "Skip to content": "跳至正文",
    "Menu": "菜单",
    "Main": "主导航",
    "Language": "语言",
    "Switch": "切换",
    "read only": "只读",
    "Log in": "登录",
    "Log out": "退出",
    "Log in to Jianfu": "登录减负平台",
    "Home": "首页",
    "System": "系统管理",
    "Core": "核心",
    "Organisation": "组织机构",
    "Not found": "页面不存在",
    "Not found.": "未找到相关内容。",
    "This page does not exist, or it is outside the units you can see.":
        "该页面不存在，或不在您可查看的单位范围内。",
    "Back to the home page": "返回首页",
    # ------------------------------------------------------------------ paging, lists, common actions
    "Pages": "分页",
    "%(start)s–%(end)s of %(total)s": "第 %(start)s–%(end)s 条，共 %(total)s 条",
    "Previous": "上一页",
    "Page %(n)s of %(total)s": "第 %(n)s 页，共 %(total)s 页",
    "Next": "下一页",
    "Search": "查询",
    "Filter": "筛选",
    "Clear": "清除筛选",
    "Tree": "层级结构",
    "List": "列表",
    "Edit": "编辑",
    "Save": "保存",
    "Cancel": "取消",
    "None": "无",
    "(none)": "（无）",
    "All": "全部",
    "Yes": "是",
    "No": "否",
    "Export .xlsx": "导出 Excel",
    "Some fields are not valid.": "部分字段填写有误。",
    "You do not have permission to do this.": "您没有执行此操作的权限。",
    # ------------------------------------------------------------------ login
    "Login name": "登录名",
    "login name": "登录名",
    "Password": "密码",
    "The login name or password is not correct.": "登录名或密码不正确。",
    "Too many failed attempts. This login name is locked for %(minutes)d more minutes.":
        "登录失败次数过多，该登录名已被锁定，请 %(minutes)d 分钟后再试。",
    "login failure": "登录失败记录",
    "login failures": "登录失败记录",
    # ------------------------------------------------------------------ home pages
    "Welcome, %(name)s": "%(name)s，您好",
    "No role yet": "尚无角色",
    "Your units and roles": "您所在的单位及角色",
    "You hold no role yet. Ask your task force or system administrator to grant one.":
        "您尚未被授予角色，请联系专班或系统管理员授予。",
    "Units you can see": "您可查看的单位",
    ("%(n)s unit has no liaison yet", "%(n)s units have no liaison yet"): "%(n)s 个单位尚未明确联络员",
    ("%(n)s failed job needs attention", "%(n)s failed jobs need attention"): "%(n)s 个失败任务待处理",
    "Units by type": "各类单位数量",
    "you see the whole campaign area": "您可查看整治工作覆盖的全部范围",
    "Campaign organisation": "整治工作组织架构",
    "Task force, groups and seconded members": "专班、工作组及抽调人员",
    "Liaisons of every unit": "各单位联络员",
    "Who holds which role": "各角色人员",
    "Import units and people from a spreadsheet": "从表格导入单位和人员",
    "Your unit's tree": "本单位层级结构",
    # ------------------------------------------------------------------ unit types
    "City": "市",
    "County / district": "县（市、区）",
    "Township / street": "乡镇（街道）",
    "Village / community": "村（社区）",
    "City department": "市直部门",
    "Task force": "工作推进专班",
    "Other body": "其他单位",
    # ------------------------------------------------------------------ roles and permissions
    "Task-force officer": "专班干部",
    "Department clerk": "部门经办人",
    "Grassroots cadre": "基层干部",
    "Oversight officer": "纪检监督干部",
    "Leader": "领导",
    "System administrator": "系统管理员",
    "Create and edit units and people; import spreadsheets": "新建和编辑单位、人员，导入表格",
    "Name a unit's liaison": "指定单位联络员",
    "Read the audit log": "查阅审计日志",
    "See background jobs and failures": "查看后台任务及失败情况",
    "Create personal API tokens": "创建个人 API 令牌",
    # ------------------------------------------------------------------ units
    "Unit": "单位",
    "Units": "单位",
    "unit": "单位",
    "units": "单位",
    "Code": "代码",
    "code": "代码",
    "Name": "名称",
    "name": "名称",
    "Type": "类型",
    "type": "类型",
    "All types": "全部类型",
    "Status": "状态",
    "status": "状态",
    "Active": "启用",
    "active": "启用",
    "Inactive": "停用",
    "inactive": "已停用",
    "Level": "层级",
    "level": "层级",
    "Parent unit": "上级单位",
    "parent unit": "上级单位",
    "Parent units": "上级单位",
    "Parent code": "上级单位代码",
    "The official administrative-division code where one exists.": "有行政区划代码的，填写官方行政区划代码。",
    "Liaison": "联络员",
    "liaison": "联络员",
    "Liaisons": "联络员",
    "New unit": "新增单位",
    "Edit unit": "编辑单位",
    "Edit %(name)s": "编辑“%(name)s”",
    "Add a sub-unit": "新增下级单位",
    "Sub-units": "下级单位",
    ("%(n)s sub-unit", "%(n)s sub-units"): "%(n)s 个下级单位",
    "Show the sub-units of %(name)s": "展开“%(name)s”的下级单位",
    "Deactivate": "停用",
    "Activate": "启用",
    "Save liaison": "保存联络员",
    "Members": "成员",
    "Member": "成员",
    "All people of this unit": "本单位全部人员",
    "No units match.": "没有符合条件的单位。",
    "Only units without a liaison": "仅显示未明确联络员的单位",
    "none named": "未明确",
    "Unit %(name)s created.": "单位“%(name)s”已创建。",
    "Unit %(name)s saved.": "单位“%(name)s”已保存。",
    "Unit activated.": "单位已启用。",
    "Unit deactivated.": "单位已停用。",
    "Liaison saved.": "联络员已保存。",
    "Choose a member of this unit.": "请选择本单位人员。",
    "Unknown parent unit code %(code)s.": "上级单位代码 %(code)s 不存在。",
    "You cannot change this unit.": "您无权修改该单位。",
    "A unit of this type needs a parent unit.": "该类型单位必须指定上级单位。",
    "A %(type)s cannot sit under a %(parent)s.": "%(type)s不能作为%(parent)s的下级单位。",
    "A unit cannot be moved under itself or its own sub-units.": "单位不能调整到其自身或其下级单位之下。",
    "Code and name are both required.": "代码和名称均为必填项。",
    "Unit code %(code)s is already used.": "单位代码 %(code)s 已被使用。",
    "Someone else changed this unit after you opened it. Reload to see their change.":
        "您打开本页后，他人已修改该单位。请刷新页面查看最新内容。",
    "You cannot move a unit under a unit outside your scope.": "不能将单位调整到您权限范围以外的单位之下。",
    "Deactivate the unit's active sub-units first.": "请先停用该单位下仍在启用的下级单位。",
    "The liaison must be a member of the unit.": "联络员必须是本单位人员。",
    # ------------------------------------------------------------------ people and roles
    "People": "人员",
    "people": "人员",
    "person": "人员",
    "Phone": "联系电话",
    "phone": "联系电话",
    "Post": "职务",
    "post": "职务",
    "superuser": "超级用户",
    "language": "语言",
    "Role": "角色",
    "role": "角色",
    "Roles": "角色",
    "All roles": "全部角色",
    "membership": "任职",
    "memberships": "任职",
    "Units and roles": "所在单位及角色",
    "Add a person": "添加人员",
    "Edit person": "编辑人员",
    "No people match.": "没有符合条件的人员。",
    "People (in units you can see)": "人数（限您可查看的单位）",
    "ended": "已终止",
    "End this role": "终止该角色",
    "Grant role": "授予角色",
    "%(name)s added.": "已添加“%(name)s”。",
    "%(name)s saved.": "“%(name)s”的信息已保存。",
    "Role granted.": "角色已授予。",
    "Choose a unit and a role.": "请选择单位和角色。",
    "Role ended.": "角色已终止。",
    "Unknown role.": "未知角色。",
    "Login name and name are both required.": "登录名和姓名均为必填项。",
    "Login name %(name)s is already used.": "登录名 %(name)s 已被使用。",
    "Someone else changed this person after you opened the page. Reload to see their change.":
        "您打开本页后，他人已修改该人员信息。请刷新页面查看最新内容。",
    "Enter an 11-digit mobile number or a landline such as 0735-2222222.":
        "请输入 11 位手机号码，或 0735-2222222 格式的固定电话号码。",
    # ------------------------------------------------------------------ the task force
    "task force": "专班",
    "Comprehensive coordination group": "综合协调组",
    "Supervision and inspection group": "监督督查组",
    "News and publicity group": "新闻宣传组",
    "group": "工作组",
    "duties": "职责",
    "task-force group": "专班工作组",
    "task-force groups": "专班工作组",
    "Groups belong to a task force.": "工作组只能设在专班之下。",
    "seconded from": "抽调单位",
    "Seconded from": "抽调单位",
    "group lead": "组长",
    "from": "起始日期",
    "From": "起始日期",
    "until": "截止日期",
    "Until": "截止日期",
    "secondment": "抽调记录",
    "secondments": "抽调记录",
    "A secondment cannot end before it starts.": "抽调截止日期不能早于起始日期。",
    "No seconded members yet.": "暂无抽调人员。",
    "No groups yet.": "暂无工作组。",
    "No task force is visible to you.": "暂无您可查看的专班。",
    # ------------------------------------------------------------------ imports
    "Imports": "数据导入",
    "import": "导入任务",
    "imports": "导入任务",
    "Uploaded": "已上传",
    "Checking": "校验中",
    "Checked, ready to import": "已校验，可导入",
    "Has problems": "存在问题",
    "Importing": "导入中",
    "Imported": "已导入",
    "Failed": "失败",
    "kind": "类别",
    "uploaded by": "上传人",
    "file name": "文件名",
    "size": "文件大小",
    "rows": "行数",
    "rows processed": "已处理行数",
    "problems": "问题",
    "message": "提示信息",
    "uploaded": "上传时间",
    "finished": "完成时间",
    # ------------------------------------------------------------------ spreadsheet imports
    "Import units or people": "导入单位或人员",
    "Import now": "立即导入",
    "Upload and check": "上传并校验",
    "Past imports": "历史导入记录",
    "No imports yet.": "暂无导入记录。",
    "Import of %(name)s": "导入“%(name)s”",
    "Parent pages": "上级页面",
    "Kind": "类别",
    "File": "文件",
    "Size": "大小",
    "SHA-256": "SHA-256 校验值",
    "Rows": "行数",
    "Uploaded by": "上传人",
    "Updated": "更新",
    "Result": "导入结果",
    "Preview": "导入预览",
    "Row": "行号",
    "Column": "列",
    "Problem": "问题",
    "Problems": "问题清单",
    "Error": "错误",
    "Warning": "提示",
    "Row %(row)s": "第 %(row)s 行",
    "note": "提示",
    "Instructions": "填写说明",
    "Required": "是否必填",
    "What to write": "填写要求",
    "The file contains": "文件内容",
    "Spreadsheet (.xlsx or .csv)": "表格文件（.xlsx 或 .csv）",
    "Templates with the expected columns:": "含规定列的模板：",
    "%(kind)s template (.xlsx)": "%(kind)s模板（.xlsx）",
    "Upload an .xlsx workbook or a .csv file of up to %(max)s MB. Every row is checked first and shown "
    "to you; nothing is written until you confirm, and then either every row is imported or none is.":
        "请上传不超过 %(max)s MB 的 .xlsx 工作簿或 .csv 文件。系统先逐行校验并展示结果，经您确认后才写入；"
        "写入时要么全部导入，要么全部不导入。",
    "File uploaded; it is being checked.": "文件已上传，正在校验。",
    "Import started.": "已开始导入。",
    "This import has already been started.": "该导入任务已经开始。",
    "The import stopped because of an unexpected error. Nothing was written. "
    "Administrators can see the details in the log.":
        "导入因意外错误中止，未写入任何数据。系统管理员可在日志中查看详情。",
    "No problems found. Importing writes every row in one go; if anything has changed in the meantime, "
    "nothing is written and the new problems are shown.":
        "未发现问题。导入时将一次性写入全部行；如期间数据有变动，将不写入任何数据并显示新发现的问题。",
    "Nothing has been written. Correct the file and upload it again.":
        "尚未写入任何数据。请修改文件后重新上传。",
    "Download all problems (.xlsx)": "下载全部问题清单（Excel）",
    ("%(n)s row read", "%(n)s rows read"): "已读取 %(n)s 行",
    ("%(n)s created", "%(n)s created"): "已新增 %(n)s 条",
    ("%(n)s updated", "%(n)s updated"): "已更新 %(n)s 条",
    ("%(n)s to create", "%(n)s to create"): "将新增 %(n)s 条",
    ("%(n)s to update", "%(n)s to update"): "将更新 %(n)s 条",
    ("%(n)s unchanged", "%(n)s unchanged"): "%(n)s 条无变化",
    ("%(n)s problem to fix", "%(n)s problems to fix"): "%(n)s 个问题待修正",
    ("%(n)s note", "%(n)s notes"): "%(n)s 条提示",
    "waiting for the worker…": "等待后台处理……",
    "reading the file…": "正在读取文件……",
    "checking every row…": "正在逐行校验……",
    "writing…": "正在写入……",
    # import problems: the file
    "The file is larger than %(max)s MB.": "文件超过 %(max)s MB。",
    "The file is %(size)s MB; files up to %(max)s MB can be imported.":
        "文件大小为 %(size)s MB，可导入的文件不得超过 %(max)s MB。",
    "The file is empty.": "文件为空。",
    "The file cannot be opened.": "无法打开该文件。",
    "The file has no rows.": "文件中没有任何行。",
    "The file has no data rows under the header.": "表头下方没有数据行。",
    "Choose what the file contains: units or people.": "请选择文件内容：单位或人员。",
    "Upload an .xlsx workbook or a .csv file.": "请上传 .xlsx 工作簿或 .csv 文件。",
    "The stored file has changed since it was uploaded; upload it again.":
        "已保存的文件在上传后发生变化，请重新上传。",
    "This is an old-style .xls workbook or a password-protected one. Save it in Excel as .xlsx "
    "(Excel Workbook), without a password, and upload it again.":
        "该文件是旧版 .xls 工作簿或设有密码的工作簿。请在 Excel 中另存为 .xlsx（Excel 工作簿）、"
        "不设密码，然后重新上传。",
    "The file is named .xlsx but is not an Excel workbook. Open it in Excel and save it as .xlsx, "
    "or save it as CSV UTF-8.":
        "该文件扩展名为 .xlsx，但并非 Excel 工作簿。请在 Excel 中打开后另存为 .xlsx，或另存为“CSV UTF-8”。",
    "The workbook unpacks to far more data than a spreadsheet of this size can hold, so it was not opened. "
    "Save it again in Excel and upload the new file.":
        "该工作簿解压后的数据量远超同等大小表格应有的数据量，系统未予打开。"
        "请在 Excel 中重新保存后上传新文件。",
    "The workbook is damaged or is not an Excel (.xlsx) file.": "该工作簿已损坏，或不是 Excel（.xlsx）文件。",
    "The file is a zip archive but not an Excel workbook (.xlsx).":
        "该文件是 zip 压缩包，而不是 Excel 工作簿（.xlsx）。",
    "The workbook is encrypted. Remove its password in Excel and upload it again.":
        "该工作簿已加密。请在 Excel 中取消密码后重新上传。",
    "The workbook has no worksheet.": "该工作簿中没有工作表。",
    "The sheet has more than %(max)s rows; split it into several files.":
        "工作表超过 %(max)s 行，请拆分为多个文件。",
    "The file is not a spreadsheet or a text file. Upload an .xlsx workbook or a .csv file.":
        "该文件既不是表格文件也不是文本文件。请上传 .xlsx 工作簿或 .csv 文件。",
    "The file's text is in an encoding that cannot be read: it is neither UTF-8 nor GBK. "
    "Save it from Excel as .xlsx, or as “CSV UTF-8”, and upload it again.":
        "文件文本的编码无法识别（既不是 UTF-8 也不是 GBK）。"
        "请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后重新上传。",
    "The CSV file is malformed near line %(line)s.": "CSV 文件第 %(line)s 行附近格式有误。",
    "The file was read as GBK text; if the column names above look garbled, save it as .xlsx "
    "or as “CSV UTF-8” and upload it again.":
        "该文件已按 GBK 编码读取；如上方列名显示为乱码，请另存为 .xlsx 或“CSV UTF-8”后重新上传。",
    "… and %(n)s more problems; fix these first and check again.":
        "……另有 %(n)s 个问题；请先修正以上问题后重新校验。",
    # import problems: columns and rows
    "The column “%(column)s” appears twice, in columns %(first)s and %(second)s.":
        "列“%(column)s”重复出现，分别位于第 %(first)s 列和第 %(second)s 列。",
    "Missing required column(s): %(missing)s. Columns found: %(found)s.":
        "缺少必填列：%(missing)s。已识别的列：%(found)s。",
    "Unknown column “%(column)s” is ignored.": "无法识别的列“%(column)s”，已忽略。",
    "This value is required.": "此项为必填项。",
    "At most %(max)s characters (this has %(n)s).": "最多 %(max)s 个字符（当前为 %(n)s 个）。",
    "A code cannot contain spaces.": "代码不能包含空格。",
    "A login name cannot contain spaces.": "登录名不能包含空格。",
    "Unknown unit type “%(value)s”. Use one of: city, county, township, village, department, task force, "
    "other (市, 县, 乡镇, 村, 部门, 专班, 其他).":
        "无法识别的单位类型“%(value)s”。请填写以下之一：市、县、乡镇、村、部门、专班、其他"
        "（或 city、county、township、village、department、task force、other）。",
    "Unknown role “%(value)s”. Use one of: 专班干部, 部门经办人, 基层干部, 纪检监督人员, 领导, 系统管理员 "
    "(or task_force_officer, department_clerk, grassroots_cadre, oversight_officer, leader, system_admin).":
        "无法识别的角色“%(value)s”。请填写以下之一：专班干部、部门经办人、基层干部、纪检监督干部、领导、系统管理员"
        "（或 task_force_officer、department_clerk、grassroots_cadre、oversight_officer、leader、"
        "system_admin）。",
    "Write “启用” (active) or “停用” (inactive), or leave it empty; found “%(value)s”.":
        "请填写“启用”或“停用”，或留空；当前填写的是“%(value)s”。",
    "Only a system administrator can make someone a system administrator.":
        "只有系统管理员才能授予系统管理员角色。",
    "The login name %(username)s already appears in row %(first)s.":
        "登录名 %(username)s 已在第 %(first)s 行出现。",
    "The code %(code)s already appears in row %(first)s.": "代码 %(code)s 已在第 %(first)s 行出现。",
    "Unknown unit %(code)s: it is not among the units you may change.":
        "无法识别的单位 %(code)s：不在您有权修改的单位范围内。",
    "Unit %(code)s is inactive.": "单位 %(code)s 已停用。",
    "Unit %(code)s already exists outside the units you may change.":
        "单位 %(code)s 已存在，且不在您有权修改的单位范围内。",
    "A unit of type “%(type)s” needs a parent unit code.": "“%(type)s”类单位必须填写上级单位代码。",
    "A unit cannot be its own parent.": "单位不能以自身为上级单位。",
    "Unknown parent unit %(code)s: it is neither in this file nor among the units you may change.":
        "无法识别的上级单位 %(code)s：既不在本文件中，也不在您有权修改的单位范围内。",
    "A unit of type “%(type)s” cannot sit under %(parent)s, which is of type “%(parent_type)s”.":
        "“%(type)s”类单位不能作为 %(parent)s（“%(parent_type)s”类）的下级单位。",
    "The parent unit %(code)s is inactive, so this unit cannot be active.":
        "上级单位 %(code)s 已停用，本单位不能设为启用。",
    "The parent chain goes round in a circle: %(chain)s.": "上级单位关系形成循环：%(chain)s。",
    "The unit would sit %(depth)s levels deep; at most %(max)s levels are allowed.":
        "该单位将位于第 %(depth)s 层，最多允许 %(max)s 层。",
    "Unit %(code)s still has the active sub-unit %(child)s; deactivate that first.":
        "单位 %(code)s 仍有启用中的下级单位 %(child)s，请先停用该下级单位。",
    "You cannot add a unit under a unit outside your scope.": "不能在您权限范围以外的单位下新增单位。",
    # the template workbook's instructions sheet
    "The unit's code, unique; the official administrative-division code where one exists.":
        "单位代码，不得重复；有行政区划代码的，填写官方行政区划代码。",
    "The unit's name.": "单位名称。",
    "The person's full name.": "人员姓名。",
    "One of: %(types)s.": "填写以下之一：%(types)s。",
    "One of: %(roles)s.": "填写以下之一：%(roles)s。",
    "The code of the unit it sits under, in this file or already in Jianfu; empty only for the city.":
        "上级单位代码，可以是本文件中的单位，也可以是系统中已有的单位；仅“市”一级可留空。",
    "启用 (active) or 停用 (inactive); empty keeps the current state.":
        "填写“启用”或“停用”；留空则保持现有状态。",
    "The login name, unique; existing login names are updated.":
        "登录名，不得重复；已存在的登录名将更新其信息。",
    "An 11-digit mobile number or a landline such as 0735-2222222.":
        "11 位手机号码，或 0735-2222222 格式的固定电话号码。",
    "The person's post, e.g. 副镇长.": "人员职务，如“副镇长”。",
    "The code of a unit already in Jianfu.": "系统中已有单位的代码。",
    "The first row holds the column names, in Chinese or English. Rows are checked all together; "
    "nothing is written until every row is right.":
        "第一行为列名，中英文均可。系统对所有行统一校验，全部无误后才写入数据。",
    # ------------------------------------------------------------------ audit log
    "Audit log": "审计日志",
    "sequence": "序号",
    "time": "时间",
    "Time": "时间",
    "actor": "操作人",
    "actor name": "操作人姓名",
    "Who": "操作人",
    "action": "操作",
    "Action": "操作",
    "Action starts with": "操作名称开头为",
    "object type": "对象类型",
    "Object type": "对象类型",
    "object id": "对象 ID",
    "object": "对象",
    "Object": "对象",
    "before": "变更前",
    "Before": "变更前",
    "after": "变更后",
    "After": "变更后",
    "previous hash": "前一条哈希值",
    "hash": "哈希值",
    "audit record": "审计记录",
    "audit records": "审计记录",
    "audit chain head": "审计链头",
    "No records.": "暂无记录。",
    "History": "变更记录",
    "No changes recorded.": "暂无变更记录。",
    ("Audit chain intact: %(n)s record.", "Audit chain intact: %(n)s records."):
        "审计链完整：共 %(n)s 条记录。",
    "Audit chain broken at record %(seq)s (%(reason)s).": "审计链在第 %(seq)s 条记录处断裂（%(reason)s）。",
    "Checking the audit chain…": "正在校验审计链……",
    # ------------------------------------------------------------------ background jobs
    "Background jobs": "后台任务",
    "Tasks that failed after every retry": "多次重试后仍失败的任务",
    "Task": "任务",
    "task": "任务",
    "Job": "任务",
    "Attempts": "尝试次数",
    "attempts": "尝试次数",
    "Last error": "最近一次错误",
    "last error": "最近一次错误",
    "When": "时间",
    "Retry now": "立即重试",
    "Mark as seen": "标记为已阅",
    "Marked as seen.": "已标记为已阅。",
    "No failed tasks.": "暂无失败任务。",
    "Schedule": "定时计划",
    "Every": "频次",
    "every": "频次",
    "Hourly": "每小时",
    "Daily": "每天",
    "Weekly": "每周",
    "Next run": "下次运行",
    "next run": "下次运行时间",
    "Last run": "上次运行",
    "last run": "上次运行时间",
    "at (Beijing time)": "执行时刻（北京时间）",
    "weekday (0 = Monday)": "星期（0 为星期一）",
    "enabled": "启用",
    "scheduled job": "定时任务",
    "scheduled jobs": "定时任务",
    "gave up": "已放弃",
    "acknowledged": "已确认",
    "task attempt": "任务执行记录",
    "task attempts": "任务执行记录",
    "The worker registers the schedule when it starts.": "后台进程启动时会自动登记定时计划。",
    "Recent tasks": "最近任务",
    "Queued": "入队时间",
    "Finished": "完成时间",
    "No tasks yet.": "暂无任务。",
    "The task was queued again.": "任务已重新加入队列。",
    "created": "创建时间",
    "Created": "创建",
    "updated": "更新时间",
    # ------------------------------------------------------------------ API and tokens
    "API": "API 接口",
    "API reference": "API 文档",
    "API token": "API 令牌",
    "API tokens": "API 令牌",
    "Personal API tokens": "个人 API 令牌",
    "prefix": "前缀",
    "last used": "最近使用时间",
    "Last used": "最近使用",
    "revoked": "撤销时间",
    "Revoked": "已撤销",
    "Revoke": "撤销",
    "Token name": "令牌名称",
    "Create token": "创建令牌",
    "Starts with": "开头字符",
    "No tokens yet.": "暂无令牌。",
    "Token revoked.": "令牌已撤销。",
    "Give the token a name so you recognise it later.": "请为令牌命名，以便日后识别。",
    "You already have 20 active tokens; revoke one first.": "您已有 20 个有效令牌，请先撤销其中一个。",
    "Copy this token now; it will not be shown again:": "请立即复制此令牌，它将不再显示：",
    "A token lets a program call the Jianfu API as you, seeing only what you can see. "
    "Send it as “Authorization: Bearer …”.":
        "令牌可让程序以您的身份调用减负平台 API，可见范围与您本人一致。"
        "调用时请以“Authorization: Bearer …”方式发送。",
    "Log in or send a valid API token.": "请登录，或提供有效的 API 令牌。",
}
