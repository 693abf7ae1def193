"""Simplified-Chinese translations of the report-form module's msgids (报表 and the field dictionary 数据字典).

Merged into the main dict by scripts/fill_zh_hans.py; same key conventions as scripts/translations_zh_hans.py.
"""

from __future__ import annotations

PLURAL = tuple[str, str]

TRANSLATIONS: dict[str | PLURAL, str] = {
    # ------------------------------------------------------------------ models and choices
    "Report forms and the field dictionary": "报表与数据字典",
    "Report set": "报表",
    "Briefing": "简报",
    "Ledger": "台账",
    "Other material": "其他材料",
    "Every half year": "每半年",
    "Every year": "每年",
    "Each time the event occurs": "每次发生时",
    "field name": "字段名称",
    "definition": "定义",
    "unit of measure": "计量单位",
    "held by": "数据持有单位",
    "The unit that already holds this data, so others can ask it instead.": "已掌握该数据的单位，其他单位可向其获取。",
    "other names": "别名",
    "notes": "备注",
    "in use": "在用",
    "proposed, not yet accepted": "新提议，尚未采纳",
    "proposed by": "提议人",
    "dictionary field": "字典字段",
    "field dictionary": "数据字典",
    "field": "字段",
    "position": "顺序",
    "required": "必填",
    "field of a form": "报表字段",
    "fields of forms": "报表字段",
    "material type": "材料类型",
    "frequency": "填报频次",
    "responses a year": "每年填报次数",
    "minutes per response": "每次填报用时（分钟）",
    "respondent units": "填报单位数",
    "fields": "字段数",
    "report-form profile": "报表概况",
    "report-form profiles": "报表概况",
    "base year": "基准年度",
    "report sets": "报表",
    "briefings": "简报",
    "ledgers": "台账",
    "other materials": "其他材料",
    "set by": "核定人",
    "report-material baseline": "报表材料基数",
    "report-material baselines": "报表材料基数",
    # ------------------------------------------------------------------ cleaning and services
    "%(field)s must be from %(low)s to %(high)s.": "%(field)s应在%(low)s至%(high)s之间。",
    "A field of the form is not a dictionary field.": "报表中有字段不是数据字典中的字段。",
    "Choose how often the form is filled.": "请选择填报频次。",
    "Choose the type of material: report set, briefing, ledger or other.": "请选择材料类型：报表、简报、台账或其他材料。",
    "Minutes per response": "每次填报用时（分钟）",
    "Responses a year": "每年填报次数",
    "A form must ask for at least one field.": "报表至少要有一个字段。",
    "A form may ask for at most %(max)s fields; this one asks for %(n)s.":
        "一张报表最多%(max)s个字段，本表有%(n)s个。",
    "Field %(id)s is not in the dictionary.": "字段%(id)s不在数据字典中。",
    "The form asks for “%(name)s” twice.": "报表重复填报“%(name)s”。",
    "“%(name)s” is no longer in use in the dictionary; choose the field that replaced it.":
        "“%(name)s”在数据字典中已停用，请改选替代它的字段。",
    "A field needs a name.": "字段须有名称。",
    "A field name may be at most 120 characters: “%(name)s…”.": "字段名称最多120个字：“%(name)s…”。",
    "The dictionary already has a field named “%(name)s”.": "数据字典中已有名为“%(name)s”的字段。",
    "This filing is not a report form.": "该事项不是报表。",
    "Choose the type of material and how often the form is filled.": "请选择材料类型和填报频次。",
    "Counts cannot be negative.": "数量不能为负数。",
    "A field name must have 1 to 120 characters.": "字段名称应为1至120个字。",
    # ------------------------------------------------------------------ findings
    "%(covered)s of this form's %(total)s fields (%(share)s%%) are already collected by %(form)s of %(unit)s.":
        "本表%(total)s个字段中有%(covered)s个（%(share)s%%）已由%(unit)s的%(form)s采集。",
    "Merge this form into %(form)s (一表通) and ask there only for the %(missing)s field(s) it lacks, "
    "or withdraw this form.":
        "建议将本表并入%(form)s（一表通），只在其中增加缺少的%(missing)s个字段，或撤回本表。",
    "%(count)s field(s) of this form are already collected by %(form)s of %(unit)s: %(fields)s.":
        "本表有%(count)s个字段已由%(unit)s的%(form)s采集：%(fields)s。",
    "Take these fields from %(unit)s instead of asking the grassroots for them again.":
        "请向%(unit)s获取这些数据，不再要求基层重复填报。",
    "%(unit)s had %(baseline)s report materials in %(base_year)s; a cut of %(cut)s%% allows at most %(allowed)s "
    "in %(year)s, and with this form it would have %(now)s.":
        "%(unit)s%(base_year)s年报表材料基数为%(baseline)s项，压缩%(cut)s%%后%(year)s年最多%(allowed)s项，"
        "加上本表将达%(now)s项。",
    "Merge this form into one the department already has, or withdraw one it no longer needs.":
        "请将本表并入本部门已有的报表，或撤回一项不再需要的报表材料。",
    # ------------------------------------------------------------------ forms
    "Type of material": "材料类型",
    "How often it is filled": "填报频次",
    "Only for forms filled each time an event occurs.": "仅适用于每次发生时填报的报表。",
    "How long one respondent unit takes to fill it once, gathering the data included.":
        "一个填报单位填报一次所需时间，含收集数据的时间。",
    "Fields from the dictionary": "从数据字典选择字段",
    "Other fields, one per line": "其他字段（每行一个）",
    "name | definition | unit of measure | 选填 (the last three may be left out). A name the dictionary already has "
    "is taken from it; the others are proposed to the task force.":
        "名称 | 定义 | 计量单位 | 选填（后三项可省略）。数据字典中已有的名称直接取用，其余作为新字段提交专班审定。",
    "Instructions to respondents": "填报说明",
    "Applies from": "施行日期",
    "Respondent units": "填报单位",
    "Say how many times a year the event occurs.": "请填写该事项每年发生的次数。",
    "Choose fields from the dictionary or type them below.": "请从数据字典选择字段，或在下方填写字段。",
    "Any frequency": "全部频次",
    "Counts in year": "计入年度",
    "In use": "在用",
    "Not in use": "停用",
    "Proposed": "新提议",
    "Proposed, not yet accepted": "新提议，尚未采纳",
    "Accepted": "已采纳",
    "Held by": "数据持有单位",
    "Field name": "字段名称",
    "Definition": "定义",
    "What exactly is counted (统计口径), so two forms mean the same thing.": "具体统计口径，使不同报表所指一致。",
    "Unit of measure": "计量单位",
    "e.g. 人, 户, 次, 万元": "如：人、户、次、万元",
    "The unit that already holds this data, so others can ask it instead of the grassroots.":
        "已掌握该数据的单位，其他单位可向其获取，不再向基层索要。",
    "Other names": "别名",
    "Other names the same data goes by, separated by 、 or commas.": "同一数据的其他叫法，用顿号或逗号分隔。",
    "Notes": "备注",
    "Department": "部门",
    "Base year": "基准年度",
    "Report sets": "报表",
    "Briefings": "简报",
    "Other materials": "其他材料",
    "Note": "备注",
    "Workbook (.xlsx)": "工作簿（.xlsx）",
    # ------------------------------------------------------------------ the import
    "Row %(row)s, column %(column)s: %(message)s": "第%(row)s行 %(column)s 列：%(message)s",
    "Row %(row)s: %(message)s": "第%(row)s行：%(message)s",
    "The file is not an Excel workbook. Upload an .xlsx file.": "文件不是 Excel 工作簿，请上传 .xlsx 文件。",
    "The workbook unpacks to far more data than a form definition holds, so it was not opened. Keep only the "
    "sheet with the fields and upload it again.":
        "工作簿解压后的数据量远超一份报表字段定义，未予打开。请只保留字段所在的工作表后重新上传。",
    "The first worksheet is empty.": "第一个工作表是空的。",
    "The sheet has %(n)s columns; a form definition has one field per row and at most %(max)s columns.":
        "工作表有%(n)s列；报表字段定义每行一个字段，最多%(max)s列。",
    "The sheet has %(n)s rows; a form may ask for at most %(max)s fields.":
        "工作表有%(n)s行；一张报表最多%(max)s个字段。",
    "the header is a merged cell; give each column its own name.": "表头是合并单元格，请每列单独命名。",
    "merged cells; give each field its own row and each value its own cell.":
        "有合并单元格，请每个字段占一行、每个值占一个单元格。",
    "the column has values but no name in the header.": "该列有内容，但表头没有列名。",
    "“%(header)s” is not a column Jianfu knows; use 字段名称, 定义, 计量单位, 是否必填 or 备注.":
        "“%(header)s”不是可识别的列名；请使用 字段名称、定义、计量单位、是否必填 或 备注。",
    "“%(header)s” repeats column %(other)s.": "“%(header)s”与 %(other)s 列重复。",
    "the header has no 字段名称 (field name) column.": "表头没有“字段名称”列。",
    "the row is empty; delete it, or move the fields below it up.": "这一行是空行；请删除，或把下面的字段上移。",
    "the field has no name.": "字段没有名称。",
    "the field name is longer than 120 characters.": "字段名称超过120个字。",
    "“%(name)s” repeats the field in row %(other)s.": "“%(name)s”与第%(other)s行的字段重复。",
    "“%(value)s” is not 是 or 否.": "“%(value)s”不是“是”或“否”。",
    "the unit of measure is longer than 40 characters.": "计量单位超过40个字。",
    "there are no fields under the header.": "表头下面没有字段。",
    "Fields": "字段",
    "One field per row under the header row; the first worksheet is read.": "表头下每行一个字段；只读取第一个工作表。",
    "字段名称 is required; 定义, 计量单位, 是否必填 (是 or 否) and 备注 may be left empty.":
        "“字段名称”必填；“定义”“计量单位”“是否必填”（是或否）“备注”可以不填。",
    "Do not merge cells, leave empty rows between fields or repeat a field name.":
        "不要合并单元格，字段之间不要留空行，字段名称不要重复。",
    "Fields the dictionary already has are taken from it; the others are proposed to the task force.":
        "数据字典中已有的字段直接取用，其余作为新字段提交专班审定。",
    # ------------------------------------------------------------------ views and exports
    "Burden (hours a year)": "负担（小时/年）",
    "Report forms": "报表",
    "Forms asking for it": "采集该字段的报表",
    "Field dictionary": "数据字典",
    "The dictionary was saved.": "数据字典已保存。",
    "Baseline total": "基数合计",
    "Total in %(year)s": "%(year)s年合计",
    "Cut (%)": "压缩比例（%）",
    "Target (%)": "目标（%）",
    "Cut (%%)": "压缩比例（%%）",
    "Target (%%)": "目标（%%）",
    "Meets the target": "是否达标",
    "Report materials": "报表材料",
    "The baseline was saved.": "基数已保存。",
    # ------------------------------------------------------------------ templates
    "Change the form and check again": "修改报表并重新审查",
    "%(n)s responses a year": "每年填报%(n)s次",
    "Burden on respondents": "填报负担",
    "%(h)s hours a year": "每年%(h)s小时",
    "respondent units × responses a year × minutes per response": "填报单位数 × 每年填报次数 × 每次用时",
    "%(covered)s of the %(total)s fields are already collected by %(form)s of %(unit)s: merge this form into it "
    "(一表通).":
        "%(total)s个字段中有%(covered)s个已由%(unit)s的%(form)s采集：建议将本表并入该表（一表通）。",
    "Already collected by": "已由以下报表采集",
    "same field": "同一字段",
    "another name of “%(name)s”": "“%(name)s”的别名",
    "like “%(name)s” (similarity %(score)s)": "与“%(name)s”相近（相似度%(score)s）",
    "shared terms:": "共同词语：",
    "no number yet": "尚无编号",
    "Not collected by another registered form": "其他已登记报表未采集",
    "Report-material baselines": "报表材料基数",
    "Report materials against baseline": "报表材料压减情况",
    "Each department's report materials in its base year; the cut in later years is measured against the latest "
    "baseline before them.":
        "各部门基准年度的报表材料数；以后各年的压减比例以此前最近一年的基数计算。",
    "Set by": "核定人",
    "No baselines yet.": "尚未核定基数。",
    "Set a baseline": "核定基数",
    "State": "状态",
    "Report forms asking for it": "采集该字段的报表",
    "No form you can see asks for this field.": "您可见的报表中没有采集该字段的。",
    "Add a field": "新增字段",
    "Edit “%(name)s”": "修改“%(name)s”",
    "Every item of data a report form may ask for, with its definition and the unit that already holds it, so "
    "that a new form asks only for what is not already held (一表通).":
        "报表可能采集的每一项数据，连同其定义和已掌握该数据的单位，使新报表只采集尚未掌握的数据（一表通）。",
    ("%(n)s field", "%(n)s fields"): "%(n)s 个字段",
    "No fields match.": "没有符合条件的字段。",
    "New version of a report form": "报表新版本",
    "Register a report form": "登记报表",
    "Pick the form's fields from the field dictionary or type them. Before saving you can see which of them "
    "other registered forms already collect; the gate proposes taking them from there or merging the forms "
    "(一表通).":
        "从数据字典选择报表字段或直接填写。保存前可查看哪些字段已由其他已登记报表采集；准入审查将建议从已有报表获取或合并报表（一表通）。",
    "Or import the fields from an .xlsx workbook": "或从 .xlsx 工作簿导入字段",
    "Fields other registered forms already collect": "已由其他已登记报表采集的字段",
    "Nothing has been saved yet.": "尚未保存任何内容。",
    "Show which fields are already collected": "查看哪些字段已被采集",
    "Import fields from .xlsx": "从 .xlsx 导入字段",
    "Issued by %(name)s": "%(name)s印发",
    "registered and counted (approved, in force or expired)": "已登记并计数（已批准、生效中或已到期）",
    ("%(n)s report form", "%(n)s report forms"): "%(n)s 张报表",
    "No report forms match.": "没有符合条件的报表。",
    "Import a form's fields": "导入报表字段",
    "Upload an .xlsx workbook: a header row, then one field per row (字段名称, 定义, 计量单位, 是否必填, 备注). "
    "Nothing is saved from the file: a good file fills the registration form for you to finish.":
        "上传 .xlsx 工作簿：第一行为表头，下面每行一个字段（字段名称、定义、计量单位、是否必填、备注）。文件内容不会直接保存：文件无误时将填入登记表，由您补充完成。",
    "Download the template": "下载模板",
    "The file was not used. Correct these problems and upload it again:": "文件未被采用。请修改以下问题后重新上传：",
    "Check the file": "检查文件",
    "Fields in %(name)s": "%(name)s中的字段",
    ("%(n)s field, no problems found.", "%(n)s fields, no problems found."): "%(n)s 个字段，未发现问题。",
    "Use these fields in a new report form": "用这些字段登记新报表",
    "Upload another file": "上传其他文件",
    "Report materials in %(year)s against baseline": "%(year)s年报表材料压减情况",
    "Baselines": "基数",
    "Each department's report sets, briefings, ledgers and other materials registered in the year (a recurring "
    "form counts once), against its baseline. The source: 明确各部门报表材料总数压缩50%%以上.":
        "各部门当年登记的报表、简报、台账和其他材料（定期报表只计一次）与基数对比。依据：明确各部门报表材料总数压缩50%%以上。",
    "Only departments short of the target": "只看未达标的部门",
    "2019, the year of the source's figures (市纪委监委: monthly report sets 11 → 3, briefings 5 → 1)":
        "2019年（原文数据所在年度：市纪委监委月报表由11套减至3套，简报由5份减至1份）",
    ("%(n)s department is short of the target.", "%(n)s departments are short of the target."):
        "%(n)s 个部门未达到压减目标。",
    "baseline": "基数",
    "forms registered in the base year": "基准年度登记的报表",
    "No baseline": "无基数",
    "Short of it": "未达标",
    "No department you can see has a baseline or registered report forms in this year.":
        "您可见的部门中，没有当年有基数或登记报表的部门。",
    # ------------------------------------------------------------------ the rulebook's new rules (catalogue)
    "items": "项",
    "Cut in each department's report forms and materials against its baseline": "各部门报表材料较基数压缩比例",
    "percent": "%",
    "Similarity at which a field counts as already collected (一表通)": "字段视为已采集的相似度（一表通）",
}
