"""English for the apps' strings (models, services, admin, flows, app templates): msgid → msgstr.

Applied by ``locale/update.py`` together with ``locale/en_portal.py``. A tuple gives the singular
and plural forms of a msgid that has a msgid_plural.
"""
T = {}

# --- appraisals: year-end appraisal (年终评定) ---------------------------------------------
T.update({
"年终评定": "Year-end appraisal", "民主评议中": "Democratic appraisal in progress", "已计算结果": "Results calculated",
"已报上级审批": "Submitted for higher approval", "上级已同意": "Approved by the higher committee",
"结果公示中": "Results in publicity", "结果已公布": "Results published", "结果运用已启动": "Follow-up started",
"方案版本": "Scheme version", "周期开始": "Cycle start", "周期结束": "Cycle end",
"组织层面检查": "Organisation-level checks", "不纳入评定的成员": "Members excluded from the appraisal",
"发起人": "Initiated by", "发起时间": "Initiated at", "计算时间": "Calculated at",
"支部确认人": "Confirmed by (branch)", "支部确认时间": "Confirmed at (branch)",
"上级审批人": "Approved by (higher committee)", "上级审批时间": "Higher approval at", "上级意见": "Higher committee's comments",
"公示开始": "Publicity start", "公布时间": "Published at", "结果通知批量生成": "Bulk result notices",
"%(org)s %(year)s年度评定": "%(org)s %(year)s appraisal",
"测评得分": "Appraisal score", "民主测评票数": "Democratic appraisal votes",
"自评/群众/领导加权": "Weighted self / public / leadership ratings", "评议方式": "Appraisal method",
"优秀票": "Excellent votes", "良好票": "Good votes", "合格票": "Qualified votes", "差票": "Poor votes",
"自评": "Self-assessment", "群众评议": "Public appraisal", "领导评议": "Leadership appraisal",
"情形标记": "Circumstance flags",
"支部核实的情形，如 sanctioned（受处分）、dues_unpaid_months（未交党费月数）。":
    "Circumstances verified by the branch, e.g. sanctioned (disciplined), dues_unpaid_months (months of unpaid dues).",
"录入人": "Entered by", "录入时间": "Entered at", "民主评议": "Democratic appraisal", "总分": "Total",
"等次": "Grade", "星级": "Stars", "一票否决": "Veto", "各项得分": "Points by component",
"结果运用": "Follow-up", "方案版本号": "Scheme version number", "评定结果": "Appraisal results",
"评定结果已公布，不能修改。": "The appraisal results are published and cannot be changed.",
"评定结果已公布，不能删除。": "The appraisal results are published and cannot be deleted.",
"表彰": "Commendation", "谈心谈话/警示提醒": "Heart-to-heart talk / warning", "诫勉谈话": "Admonishment talk",
"限期整改": "Rectification by a deadline", "不合格党员处置": "Disposal of an unqualified member",
"延长预备期": "Extend the probationary period", "取消预备党员资格": "Cancel probationary membership",
"待支部办理": "Awaiting the branch", "待上级审批": "Awaiting higher approval",
"上级已批准": "Approved by the higher committee", "上级未批准": "Not approved by the higher committee",
"整改期中": "In the rectification period", "已办结": "Closed",
"限期改正": "Rectification within a set period", "劝其退党": "Persuaded to withdraw from the Party", "除名": "Removal from the Party",
"未到期": "Not yet due", "整改到位": "Rectified", "整改期满仍无明显转变": "No marked change by the end of the period",
"处理方式": "Measure", "处置方式": "Disposal", "主要事实": "Main facts",
"应到有表决权党员": "Voting members entitled to attend", "实到": "Present", "赞成票": "Votes in favour",
"支部决定人": "Decided by (branch)", "支部决定时间": "Branch decision at",
"整改要求": "Rectification requirements", "整改期限（月）": "Rectification period (months)",
"整改开始": "Rectification start", "整改期限": "Rectification deadline", "整改结果": "Rectification outcome",
"整改结果记录时间": "Outcome recorded at",
"年终评定流程": "Year-end appraisal process", "不合格党员处置流程": "Unqualified member disposal process",
"年终评定“%(e)s”没有对应的流程。": "Year-end appraisal “%(e)s” has no process.",
"年终评定“%(e)s”正由他人处理，请稍后再试。": "Year-end appraisal “%(e)s” is being handled by someone else; try again shortly.",
"“%(d)s”不需要上级审批，没有审批流程。": "“%(d)s” needs no higher approval, so it has no approval process.",
"该处置事项正由他人处理，请稍后再试。": "This disposal is being handled by someone else; try again shortly.",
"只有“%(org)s”的上级党组织审查人才能审批，本组织不能审批自己的评定或处置。":
    "Only a reviewer of the committee above “%(org)s” may approve; an organisation cannot approve its own appraisal or disposal.",
"“%(org)s”是%(kind)s，年终评定须由党支部或更高一级党组织发起。":
    "“%(org)s” is a %(kind)s; a year-end appraisal must be opened by a Party branch or a higher Party organisation.",
"“%(org)s”没有上级党组织，评定结果无法报上级审批。":
    "“%(org)s” has no higher Party organisation, so the results cannot be submitted for approval.",
"“%(org)s”及其上级在 %(day)s 没有适用的积分方案，请先设置方案。":
    "Neither “%(org)s” nor any organisation above it has a points scheme in force on %(day)s; set up a scheme first.",
"方案“%(s)s”属于“%(o)s”，不适用于“%(org)s”。": "Scheme “%(s)s” belongs to “%(o)s” and does not apply to “%(org)s”.",
"公示天数“%(d)s”不是整数。": "Publicity days “%(d)s” is not a whole number.",
"公示期为 %(days)s 天，少于规定的 %(min)s 天。": "The publicity period of %(days)s days is shorter than the required %(min)s days.",
"“%(org)s”已发起 %(year)s 年度的评定。": "“%(org)s” has already opened the %(year)s appraisal.",
"“%(other)s”已对本周期发起评定，与“%(org)s”的成员重叠。":
    "“%(other)s” has already opened an appraisal for this cycle whose members overlap with “%(org)s”.",
"请填写%(label)s。": "%(label)s is required.",
"%(label)s“%(v)s”不是数字。": "%(label)s “%(v)s” is not a number.",
"%(label)s应在 %(low)s–%(high)s 之间，实际为 %(v)s。": "%(label)s must be between %(low)s and %(high)s; got %(v)s.",
"%(label)s“%(v)s”不是整数。": "%(label)s “%(v)s” is not a whole number.",
"%(label)s不能为负数（%(v)s）。": "%(label)s cannot be negative (%(v)s).",
"情形标记必须是“名称: 值”的形式。": "A circumstance flag must have the form “name: value”.",
"情形标记的名称不能为空。": "A circumstance flag needs a name.",
"情形标记“%(k)s”的值应为是/否或非负整数，实际为 %(v)s。":
    "Circumstance flag “%(k)s” must be yes/no or a non-negative whole number; got %(v)s.",
"评定“%(e)s”当前状态为“%(s)s”，不能再修改民主评议或重新计算。":
    "Appraisal “%(e)s” is “%(s)s”; the democratic appraisal can no longer be changed or recalculated.",
"民主评议须且只能填写一种：测评得分、各档票数或自评/群众/领导评分。":
    "Enter exactly one kind of democratic appraisal: a score, votes per grade, or self/public/leadership ratings.",
"票数须按“优秀/良好/合格/差”分别填写。": "Enter the votes separately for Excellent / Good / Qualified / Poor.",
"未知的票档：%(k)s；可选：优秀、良好、合格、差。": "Unknown vote grade: %(k)s; choose Excellent, Good, Qualified or Poor.",
"总票数为 0，无法计算测评得分。": "There are no votes, so no score can be calculated.",
"请分别填写自评、群众评议、领导评议得分。": "Enter the self-assessment, public appraisal and leadership appraisal scores.",
"自评得分": "Self-assessment score", "群众评议得分": "Public appraisal score", "领导评议得分": "Leadership appraisal score",
"成员“%(m)s”不属于“%(org)s”，不能录入其民主评议。":
    "Member “%(m)s” does not belong to “%(org)s”; their democratic appraisal cannot be entered here.",
"台账第 %(seq)s 条（%(m)s，%(d)s，%(c)s）": "Ledger entry %(seq)s (%(m)s, %(d)s, %(c)s)",
"成员“%(m)s”": "Member “%(m)s”",
"按方案计算失败：%(where)s：%(msg)s": "Calculation by the scheme failed: %(where)s: %(msg)s",
"民主评议环节已结束或尚未开始。": "The democratic appraisal step has ended or not yet started.",
"评定当前状态为“%(s)s”，不能报上级。": "The appraisal is “%(s)s” and cannot be submitted to the higher committee.",
"尚无评定结果，请先计算。": "There are no results yet; calculate them first.",
"当前不在支部确认等次环节。": "The appraisal is not at the branch's grade-confirmation step.",
"评定当前状态为“%(s)s”，不在上级审批环节。": "The appraisal is “%(s)s”, not at the higher-approval step.",
"退回修改须写明意见。": "A return for correction needs comments.",
"公示开始日期 %(d)s 早于今天。": "The publicity start date %(d)s is before today.",
"当前不在上级审批环节。": "This is not at the higher-approval step.",
"%(name)s同志%(year)s年度积分%(total)s分，评定等次为%(grade)s":
    "Comrade %(name)s: %(total)s points for %(year)s, graded %(grade)s",
"（一票否决）": " (veto)",
"；%(year)s年度积分%(total)s分，等次%(grade)s": "; %(total)s points for %(year)s, grade %(grade)s",
"年度积分%(t)s分，评定等次%(g)s": "%(t)s points for the year, graded %(g)s",
"优秀共产党员": "Outstanding Communist Party member",
"“%(a)s”不是谈话类处理。": "“%(a)s” is not a talk.",
"谈话时间": "Talk time", "谈话地点": "Talk place",
"该事项已办理（%(s)s）。": "This has already been handled (%(s)s).",
"你在%(year)s年度党员积分评定中评定等次为%(grade)s（年度积分%(total)s分）。":
    "In the %(year)s member points appraisal you were graded %(grade)s (%(total)s points for the year).",
"谈话时间：%(t)s；地点：%(p)s": "Time of the talk: %(t)s; place: %(p)s",
"整改期限“%(m)s”不是整数（月）。": "Rectification period “%(m)s” is not a whole number of months.",
"限期改正的期限为 %(m)s 个月；按规定一般为6个月，最长不超过1年。":
    "The rectification period is %(m)s months; the rules say normally 6 months and at most 1 year.",
"“%(a)s”不是限期整改事项。": "“%(a)s” is not a rectification by a deadline.",
"请填写整改要求。": "Enter the rectification requirements.",
"“%(a)s”须按其专门程序办理。": "“%(a)s” must follow its own procedure.",
"实到人数": "Number present", "正式党员人数": "Number of full members",
"应到人数不能为 0。": "The number entitled to attend cannot be 0.",
"实到人数 %(p)s 多于应到人数 %(e)s。": "%(p)s present is more than the %(e)s entitled to attend.",
"赞成票 %(v)s 多于实到人数 %(p)s。": "%(v)s votes in favour is more than the %(p)s present.",
"实到 %(p)s 人，未超过应到 %(e)s 人的半数，会议不能表决。":
    "%(p)s present is not more than half of the %(e)s entitled; the meeting cannot vote.",
"赞成票 %(v)s 票，未超过正式党员 %(f)s 人的半数，处置意见未获通过。":
    "%(v)s votes in favour is not more than half of the %(f)s full members; the proposed disposal is not adopted.",
"请选择处置方式：%(c)s。": "Choose a disposal: %(c)s.",
"限期改正须写明整改要求。": "Rectification within a set period needs the rectification requirements.",
"“%(a)s”不需要上级审批。": "“%(a)s” needs no higher approval.",
"该事项已由支部决定（%(s)s）。": "The branch has already decided this (%(s)s).",
"当前不在支部决定环节。": "This is not at the branch decision step.",
"不予批准须写明理由。": "A refusal needs a reason.",
"该事项当前状态为“%(s)s”，不在上级审批环节。": "This is “%(s)s”, not at the higher-approval step.",
"同意": "approve", "不同意": "do not approve",
"经研究，%(verb)s你支部对%(name)s同志作出%(m)s的处置意见。":
    "After consideration, we %(verb)s your branch's proposed disposal of Comrade %(name)s: %(m)s.",
"整改结果应为“整改到位”或“整改期满仍无明显转变”。":
    "The rectification outcome must be “Rectified” or “No marked change by the end of the period”.",
"该事项不在整改期中。": "This is not in a rectification period.",
"整改期至 %(d)s 截止，期满后才能记录整改结果。": "The rectification period runs until %(d)s; record the outcome after it ends.",
"整改期的计时尚未到期，请稍后再记录整改结果。": "The rectification period has not yet run out; record the outcome later.",
"方案": "Scheme", "周期": "Cycle", "天": "days", "检查提示": "Check warnings",
"不纳入评定": "Excluded from the appraisal", "按总分排序": "Ordered by total", "尚未计算。": "Not calculated yet.",
"按方案版本和原始数据重算核对": "Recompute from the scheme version and the original data to verify",
"重算结果与已存结果不一致": "Recomputed results differ from the stored results",
"项目": "Item", "已存": "Stored", "重算": "Recomputed",
"重算结果与已存结果一致。": "Recomputed results match the stored results.",
"民主评议录入": "Enter democratic appraisal", "票": " votes",
"本年度受党纪政务处分": "Received Party or administrative discipline this year",
"无正当理由未交党费月数": "Months of dues unpaid without good reason", "保存评议": "Save appraisal",
"已录入": "Entered", "试算结果": "Trial calculation", "评议结束，计算结果": "Close the appraisal and calculate results",
"确认等次，报上级审批": "Confirm grades and submit for higher approval", "上级审批": "Higher approval",
"意见": "Comments", "公示开始日期": "Publicity start date", "同意，进入公示": "Approve and start publicity",
"办理": "Handle", "发出谈话通知": "Send talk notice", "期限（月）": "Period (months)",
"发出限期整改通知": "Send rectification notice", "已办理": "Mark as done",
"整改要求（限期改正）": "Rectification requirements (rectification within a set period)", "应到": "Entitled",
"赞成": "In favour", "支部决定，向上级请示": "Branch decision; request higher approval",
"批准": "Approve", "不批准": "Do not approve", "记录整改结果": "Record rectification outcome",
"暂无年终评定。": "No year-end appraisals yet.", "操作成功。": "Done.",
"未交党费月数应为整数。": "Months of unpaid dues must be a whole number.",
})

# --- documents ---------------------------------------------------------------------------
T.update({
"积分登记卡（党员个人积分登记）": "Points registration card (individual member)",
"积分汇总表（季度）": "Points summary (quarterly)",
"支部会议审核意见/会议纪要": "Branch meeting review opinion / minutes",
"备案报告（报上级党组织审查备案）": "Filing report (to the higher Party organisation for review and filing)",
"公示通知（含公示起止日期和公示栏二维码）": "Publicity notice (with its dates and the public board QR code)",
"异议受理回执": "Objection receipt", "异议处理反馈": "Objection answer",
"情况说明（向上级党组织备案）": "Written explanation (filed with the higher Party organisation)",
"年度评定结果通知": "Annual appraisal result notice", "表彰决定（优秀党员）": "Commendation decision (outstanding members)",
"谈话提醒/诫勉谈话通知": "Reminder talk / admonishment talk notice",
"限期整改通知书": "Rectification notice", "不合格党员处置请示": "Request on disposal of an unqualified member",
"不合格党员处置批复": "Reply on disposal of an unqualified member", "星级党员证书": "Star member certificate",
"户积分卡": "Household points card",
"未知的公文类型“%(key)s”。可用类型：%(known)s": "Unknown document type “%(key)s”. Available types: %(known)s",
"年度": "Year", "已用最大序号": "Highest number used", "发文字号序列": "Document number sequence",
"待生成": "Pending", "已生成": "Generated", "生成失败": "Generation failed",
"已生成的公文不能删除。": "A generated document cannot be deleted.",
"已生成的公文不能修改：%(fields)s": "A generated document cannot be changed: %(fields)s",
"发文组织": "Issuing organisation", "对象标识": "Subject key",
"同一对象（如某轮审核、某党员某年度）的公文再次生成时成为新版本。":
    "Generating a document again for the same subject (e.g. a review round, or a member's year) makes a new version.",
"版本": "Version", "编号年度": "Numbering year", "年度序号": "Number in year", "生成数据": "Data",
"已替换的控制字符": "Control characters replaced", "错误信息": "Error", "文件": "File", "SHA-256": "SHA-256",
"字节数": "Size (bytes)", "触发人": "Triggered by", "批量任务": "Bulk job", "收文党员": "Addressee (member)",
"已生成的公文不能修改：%(fields)s；如需更正请重新生成新版本。":
    "A generated document cannot be changed: %(fields)s; to correct it, generate a new version.",
"生成对象": "Subjects", "总数": "Total", "失败明细": "Failures", "同时生成 PDF": "Also generate PDF",
"PDF 错误": "PDF error", "压缩包": "Zip archive", "批量生成任务": "Bulk generation job",
"服务器未安装 LibreOffice，暂不能生成 PDF；Word 文档（.docx）不受影响。管理员可安装 libreoffice-writer-nogui 和中文字体后启用 PDF。":
    "LibreOffice is not installed on the server, so PDFs cannot be generated; Word documents (.docx) are unaffected. An administrator can enable PDF by installing libreoffice-writer-nogui and Chinese fonts.",
"同一批次中有重名文件，PDF 会互相覆盖。": "Files in the same batch share a name; their PDFs would overwrite each other.",
"LibreOffice 转换 %(n)s 个文件超时（%(t)s 秒）。": "LibreOffice timed out converting %(n)s files (%(t)s seconds).",
"以下文件未能转换为 PDF：%(files)s（LibreOffice 输出：%(err)s）":
    "These files could not be converted to PDF: %(files)s (LibreOffice output: %(err)s)",
"数据“%(key)s”不是有效数字。": "Data “%(key)s” is not a valid number.",
"数据“%(key)s”的类型 %(type)s 不能用于公文，请传入文字、数字、日期、列表或字典。":
    "Data “%(key)s” of type %(type)s cannot be used in a document; pass text, a number, a date, a list or a dictionary.",
"数据“%(key)s”不是有效日期（应为 YYYY-MM-DD）：%(value)s": "Data “%(key)s” is not a valid date (expected YYYY-MM-DD): %(value)s",
"公文数据必须是字典（JSON 对象）。": "Document data must be a dictionary (JSON object).",
"公文类型 %(kind)s 缺少必填数据：%(key)s": "Document type %(kind)s is missing required data: %(key)s",
"公文类型 %(kind)s 的数据 %(key)s 必须是列表。": "Data %(key)s of document type %(kind)s must be a list.",
"数据 %(key)s 的第%(n)s行必须是字典。": "Row %(n)s of data %(key)s must be a dictionary.",
"数据 %(key)s 的值“%(value)s”无效，应为：%(allowed)s": "Value “%(value)s” of data %(key)s is invalid; expected: %(allowed)s",
"公文模板 %(path)s 不存在，请运行 templates_docx/build_templates.py 生成。":
    "Document template %(path)s does not exist; run templates_docx/build_templates.py to build it.",
"公文模板渲染失败：%(error)s": "Rendering the document template failed: %(error)s",
"收文党员（编号 %(pk)s）不存在。": "The addressee (member no. %(pk)s) does not exist.",
"收文党员“%(member)s”不属于发文组织“%(org)s”。": "Addressee “%(member)s” does not belong to the issuing organisation “%(org)s”.",
"“%(key)s”由系统按组织和年度自动编号，请勿传入。": "“%(key)s” is numbered automatically by organisation and year; do not pass it.",
"排队生成失败：%(error)s": "Queueing the generation failed: %(error)s",
"公文“%(doc)s”状态为“%(status)s”，只有生成失败的公文需要重新生成。":
    "Document “%(doc)s” is “%(status)s”; only documents whose generation failed need regenerating.",
"公文“%(doc)s”已重新生成为第 %(v)s 版。": "Document “%(doc)s” was regenerated as version %(v)s.",
"公文 %(id)s 已有文件，不能重复写入。": "Document %(id)s already has a file; it cannot be written again.",
"公文尚未生成完成。": "The document has not finished generating.",
"公文文件校验失败（SHA-256 不一致），可能已被篡改，请联系管理员。":
    "The document file failed verification (SHA-256 mismatch) and may have been tampered with; contact an administrator.",
"批量生成的对象必须是列表。": "The subjects of a bulk job must be a list.",
"第%(n)s个对象缺少 context（公文数据）。": "Subject %(n)s has no context (document data).",
"您无权查看该公文。": "You may not view this document.", "批量任务尚未完成。": "The bulk job has not finished.",
"只有发文组织的书记、支委或专人记分员可以重新生成公文。":
    "Only the issuing organisation's secretary, committee members or clerk may regenerate a document.",
"重新生成仍然失败：%(e)s": "Regeneration failed again: %(e)s",
"已重新生成（第 %(v)s 版）。": "Regenerated (version %(v)s).",
"已重新提交生成（第 %(v)s 版），请稍后刷新。": "Resubmitted for generation (version %(v)s); refresh in a moment.",
"重新生成": "Regenerate",
})

# --- flows, health, settings ---------------------------------------------------------------
T.update({
"审批流程": "Workflows", "积分审核流程": "Points review process", "异议处理流程": "Objection handling process",
"书记发起年终评定": "Secretary opens the year-end appraisal",
"录入每名党员的民主测评票数或得分，完成后计算结果。": "Enter each member's democratic appraisal votes or score, then calculate the results.",
"按方案计算结果": "Calculate results by the scheme", "支部提出等次意见": "Branch proposes grades",
"书记核对结果和检查提示，确认等次后报上级审批。":
    "The secretary checks the results and warnings, confirms the grades and submits them for higher approval.",
"上级党组织审批": "Higher Party organisation approval", "同意后公示；不同意则退回支部修改。":
    "If approved, the results are published; otherwise they go back to the branch for correction.",
"上级是否同意": "Approved by the higher committee?", "结果公示": "Results publicity", "公示期（不少于7天）": "Publicity period (at least 7 days)",
"公示期满，结果公布": "Publicity ended, results published",
"表彰、谈话、整改、处置；生成结果通知等公文。": "Commendations, talks, rectification, disposals; generate result notices and other documents.",
"结果运用：需上级审批的处置": "Follow-up: disposals needing higher approval", "支部决定并请示": "Branch decides and requests approval",
"支部大会表决处置意见，向上级党组织请示。": "The branch general meeting votes on the proposed disposal and asks the higher Party organisation for approval.",
"上级党组织批复": "Higher Party organisation replies", "批准或不批准支部的处置意见。": "Approve or reject the branch's proposed disposal.",
"是否限期改正": "Rectification within a set period?", "整改期": "Rectification period",
"整改期满，记录整改结果": "Rectification period over; record the outcome",
"运行状态": "System status", "后台任务心跳": "Background worker heartbeat", "English": "English",
})

# --- ledger ------------------------------------------------------------------------------
T.update({
"来源": "Source", "来源编号": "Source reference", "前一条哈希": "Previous hash", "本条哈希": "Entry hash",
"台账记录": "Ledger entry", "台账链头": "Ledger chain head",
"%(label)s必须是精确的十进制数（Decimal、整数或字符串），不能是浮点数：%(value)r":
    "%(label)s must be an exact decimal (Decimal, integer or string), not a float: %(value)r",
"%(label)s不是有效的数字：%(value)r": "%(label)s is not a valid number: %(value)r",
"%(label)s最多保留两位小数：%(value)s": "%(label)s may have at most two decimal places: %(value)s",
"%(label)s超出范围：%(value)s": "%(label)s is out of range: %(value)s",
"%(label)s必须是日期：%(value)r": "%(label)s must be a date: %(value)r",
"%(label)s必须是文本：%(value)r": "%(label)s must be text: %(value)r",
"%(label)s不能为空。": "%(label)s cannot be empty.",
"%(label)s不能超过 %(max)s 个字符：%(value)s": "%(label)s cannot be longer than %(max)s characters: %(value)s",
"必须指定已保存的组织。": "A saved organisation is required.", "必须指定已保存的成员。": "A saved member is required.",
"未知的台账记录类型：%(kind)s": "Unknown ledger entry type: %(kind)s",
"更正记录必须指明所更正的原记录。": "A correction must name the entry it corrects.",
"更正记录应指向原始记录，而不是另一条更正记录。": "A correction must point to the original entry, not to another correction.",
"考核周期": "Assessment cycle",
"更正记录与原记录（第 %(seq)s 条）的%(fields)s不一致。": "The correction's %(fields)s differ from the original entry (no. %(seq)s).",
"更正的分值差额不能为零。": "A correction cannot change the points by zero.",
"只有更正记录才能指向原记录。": "Only a correction may point to an original entry.",
"成员“%(member)s”不属于“%(organisation)s”及其下级组织，不能记入该组织的台账。":
    "Member “%(member)s” does not belong to “%(organisation)s” or its sub-organisations and cannot be posted to its ledger.",
"更正后的分值": "Corrected points", "更正理由": "Reason for the correction",
"更正后的分值（%(new)s）与当前分值相同，无需更正。": "The corrected points (%(new)s) equal the current points; no correction is needed.",
})

# --- members -----------------------------------------------------------------------------
T.update({
"党员与成员": "Party members and members", "导入到组织": "Import into organisation",
"名册文件（.xlsx 或 .csv）": "Roster file (.xlsx or .csv)", "编码": "Code", "名称": "Name",
"党员类别": "Member category", "登录账号": "Login account",
"年满70周岁": "Aged 70 or over", "生活不能自理": "Unable to look after themselves", "患精神疾病": "Mental illness",
"自费出国（境）半年以上": "Abroad at own expense for over six months", "长期患病": "Long-term illness",
"具体说明": "Details", "起始日期": "Start date", "截止日期": "End date", "上级批准日期": "Higher approval date",
"批准人": "Approved by", "原因为“其他”时必须填写具体说明。": "Details are required when the reason is “Other”.",
"截止日期不能早于起始日期。": "The end date cannot be before the start date.",
"上级批准日期不能早于支部决定日期。": "The higher approval date cannot be before the branch decision date.",
"系统内调动": "Transfer within the system", "转出组织": "From organisation", "转入组织": "To organisation",
"系统外组织": "Organisation outside the system", "转接日期": "Transfer date", "文件名": "File name",
"文件摘要": "File digest", "新增": "Added", "更新": "Updated", "未变化": "Unchanged", "导入时间": "Imported at",
"名册导入记录": "Roster import record",
"名册导入失败，共%(n)d处问题，未写入任何数据。": "Roster import failed with %(n)d problem(s); nothing was written.",
"文件超过大小上限%(limit)s MB，已拒绝。": "The file exceeds the %(limit)s MB limit and was rejected.",
"文件大小为%(size).1f MB，超过上限%(limit)s MB，已拒绝。": "The file is %(size).1f MB, over the %(limit)s MB limit, and was rejected.",
"文件已损坏，无法作为 Excel 文件打开。": "The file is damaged and cannot be opened as an Excel file.",
"不支持 .ods 格式（WPS/LibreOffice 表格），请另存为 .xlsx 或 CSV 后再上传。":
    ".ods files (WPS/LibreOffice spreadsheets) are not supported; save as .xlsx or CSV and upload again.",
"文件类型不正确：这是一个压缩包而不是 Excel 工作簿。请上传 .xlsx 或 .csv 文件。":
    "Wrong file type: this is a zip archive, not an Excel workbook. Upload an .xlsx or .csv file.",
"Excel 文件解压后过大，已拒绝。": "The Excel file is too large once unpacked and was rejected.",
"文件类型不正确：既不是 Excel 工作簿（.xlsx）也不是 CSV 文本文件。":
    "Wrong file type: neither an Excel workbook (.xlsx) nor a CSV text file.",
"无法识别文件编码或文件不是文本：CSV 文件请用 UTF-8 或 GBK 编码保存。":
    "The file's encoding is not recognised or it is not text: save CSV files as UTF-8 or GBK.",
"CSV 格式错误：%(e)s": "CSV format error: %(e)s",
"不支持旧版 Excel（.xls）格式或加密的 Excel 文件，请在 Excel 中取消密码并“另存为” .xlsx 或 CSV 后再上传。":
    "Old Excel (.xls) files and encrypted Excel files are not supported; remove the password in Excel, “Save As” .xlsx or CSV, and upload again.",
"文件是空的。": "The file is empty.",
"找不到表头：前%(n)d行中没有包含“姓名”的行。请使用导出的名册模板。":
    "No header found: none of the first %(n)d rows contains “姓名” (name). Use the exported roster template.",
"表头重复：“%(a)s”与“%(b)s”是同一列。": "Duplicate header: “%(a)s” and “%(b)s” are the same column.",
"日期不存在": "No such date", "日期不完整，需要年、月、日，例如 2025-03-06": "Incomplete date: year, month and day are needed, e.g. 2025-03-06",
"无法识别的日期，请写成 2025-03-06、2025/3/6 或 2025年3月6日": "Unrecognised date; write 2025-03-06, 2025/3/6 or 2025年3月6日",
"所在支部“%(name)s”与支部编码“%(code)s”（%(real)s）不一致": "Branch “%(name)s” does not match branch code “%(code)s” (%(real)s)",
"支部编码“%(code)s”不在您可管理的范围内": "Branch code “%(code)s” is outside what you manage",
"找不到编码为“%(code)s”的组织": "No organisation has the code “%(code)s”",
"未填写所在支部（“%(org)s”下设多个组织，必须写明）": "No branch given (“%(org)s” has several sub-organisations, so it must be stated)",
"有%(n)d个组织都叫“%(name)s”，请改填支部编码": "%(n)d organisations are called “%(name)s”; give the branch code instead",
"“%(name)s”不在您可管理的范围内，不能导入到该组织": "“%(name)s” is outside what you manage; you cannot import into it",
"找不到名为“%(name)s”的组织": "No organisation is called “%(name)s”",
"姓名不能为空": "The name cannot be empty", "姓名过长（最多50个字）": "The name is too long (at most 50 characters)",
"身份证号被 Excel 存成了数字，后几位可能已丢失；请把该列设为“文本”格式后重新录入":
    "Excel stored the ID number as a number and its last digits may be lost; format the column as “Text” and enter it again",
"身份证号被 Excel 显示成了科学计数法，后几位已丢失；请把该列设为“文本”格式后重新录入":
    "Excel turned the ID number into scientific notation and its last digits are lost; format the column as “Text” and enter it again",
"日期不能晚于今天": "The date cannot be after today", "日期早于1900年": "The date is before 1900",
"与身份证号中的出生日期%(d)s不一致": "Does not match the date of birth %(d)s in the ID number",
"入党时未满18周岁": "Under 18 when joining the Party", "性别只能填“男”或“女”": "Gender must be “男” (male) or “女” (female)",
"与身份证号显示的性别不一致": "Does not match the gender shown by the ID number",
"身份应为：%(choices)s": "Status must be one of: %(choices)s", "未知的类别，可选：%(choices)s": "Unknown category; choose from: %(choices)s",
"（系统中尚无类别）": "(no categories in the system yet)", "联系电话格式不正确": "Invalid phone number",
"家庭人口应为1到50之间的整数": "Household size must be a whole number from 1 to 50",
"文件“%(f)s”是空的。": "File “%(f)s” is empty.", "缺少“姓名”列": "The “姓名” (name) column is missing",
"数据行超过%(n)d行，请分批导入": "More than %(n)d data rows; import in several batches",
"文件只有表头，没有数据行。": "The file has a header but no data rows.",
"写入时发生冲突（身份证号重复），请重新导入。": "A conflict occurred while writing (duplicate ID number); import again.",
"身份证号与第%(r)d行重复": "Same ID number as row %(r)d",
"与第%(r)d行同名且在同一支部，未填身份证号无法区分": "Same name and branch as row %(r)d; without an ID number they cannot be told apart",
"该身份证号已登记在您管理范围以外的组织，请办理组织关系转接，不能重复登记":
    "This ID number is registered in an organisation outside what you manage; arrange a transfer instead of registering it twice",
"身份证号是脱敏后的号码，且找不到同一支部中姓名和号码都对应的成员；新成员请填写完整号码":
    "The ID number is masked and no member of the same branch matches both name and number; give the full number for a new member",
"该支部有%(n)d名同名成员，请填写身份证号以区分": "The branch has %(n)d members of this name; give the ID number to tell them apart",
"与第%(r)d行对应同一名成员": "Refers to the same member as row %(r)d",
"名册导入": "Roster import", "最近的导入": "Recent imports", "没有找到该成员。": "Member not found.",
"您的账号没有关联成员档案。": "Your account is not linked to a member record.",
"已保存“%(name)s”的信息。": "Saved the details of “%(name)s”.",
"您没有任何组织的书记、支委或专人记分角色，不能导入名册。":
    "You are not secretary, committee member or clerk of any organisation, so you cannot import a roster.",
"“%(file)s”导入完成：新增%(created)d人，更新%(updated)d人，未变化%(unchanged)d人。":
    "“%(file)s” imported: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.",
"以下列不认识，已忽略：%(cols)s": "These columns were not recognised and were ignored: %(cols)s",
"只支持导出 xlsx 或 csv。": "Only xlsx or csv export is supported.", "只支持 xlsx 或 csv。": "Only xlsx or csv is supported.",
})

# --- organisations -----------------------------------------------------------------------
T.update({
"组织与角色": "Organisations and roles", "党委/党工委": "Party committee / working committee",
"党总支": "General Party branch", "党小组": "Party group", "乡镇": "Township", "行政村": "Administrative village",
"网格": "Grid", "学校": "School", "企业": "Enterprise", "发文机关代字": "Issuer abbreviation",
"用于发文字号，例如“城关党支”。": "Used in document numbers, e.g. “城关党支”.", "上级组织": "Parent organisation",
"有效": "Active", "上级组织不能是本组织或其下级组织。": "The parent cannot be the organisation itself or one of its sub-organisations.",
"用户": "User", "角色": "Role",
"您在“%(org)s”没有所需角色（%(roles)s），不能执行此操作。":
    "You do not hold a required role (%(roles)s) in “%(org)s”, so you cannot do this.",
})

# --- portal (new screens) ----------------------------------------------------------------
T.update({
"只有上级党组织的审查人可以备案情况说明或督办逾期异议。":
    "Only a reviewer of a higher committee may file written explanations or supervise overdue objections.",
"情况说明已存档备案。": "Written explanation filed.", "督办意见已记录。": "Supervision comments recorded.",
"未知的操作。": "Unknown action.",
"异议备案与督办": "Objection filing and supervision", "支部答复": "Branch's answer", "尚未答复": "Not answered yet",
"未备案": "Not filed", "支部已书面答复异议人，请将其情况说明存档备案。":
    "The branch has answered the objector in writing; file its written explanation.",
"情况说明存档备案": "File the written explanation",
"支部未在7个工作日内答复，请记录督办意见。": "The branch did not answer within 7 working days; record supervision comments.",
"记录督办意见": "Record supervision comments", "督办意见": "Supervision comments",
"该异议目前没有需要上级处理的事项。": "Nothing about this objection needs the higher committee at the moment.",
"备案与督办": "Filing and supervision",
})

# --- reviews -----------------------------------------------------------------------------
T.update({
"申报与审核": "Declarations and reviews",
"文件“%(name)s”大小为 %(size)s 字节，超过上限 %(limit)s 字节。": "File “%(name)s” is %(size)s bytes, over the %(limit)s-byte limit.",
"文件“%(name)s”超过大小上限 %(limit)s 字节。": "File “%(name)s” is over the %(limit)s-byte limit.",
"文件“%(name)s”是空文件。": "File “%(name)s” is empty.",
"文件“%(name)s”不是可接受的格式：佐证材料只接受 JPEG、PNG、WebP、HEIC 图片或 PDF 文件（按文件内容识别，不看扩展名）。":
    "File “%(name)s” is not an accepted format: evidence must be a JPEG, PNG, WebP or HEIC image or a PDF (judged by content, not by extension).",
"积分项目“%(c)s”不在方案“%(s)s”中，可选：%(names)s。": "Component “%(c)s” is not in scheme “%(s)s”; choose from: %(names)s.",
"条目“%(i)s”不是“%(c)s”的细则条目。": "Item “%(i)s” is not a rule item of “%(c)s”.",
"条目“%(l)s”最多计 %(n)s 次，申报数量为 %(q)s。": "Item “%(l)s” counts at most %(n)s times; the quantity declared is %(q)s.",
"条目“%(l)s”的分值按细则固定为 %(p)s 分（数量 %(q)s），不能改为 %(given)s。":
    "Item “%(l)s” has fixed points of %(p)s by the rules (quantity %(q)s) and cannot be changed to %(given)s.",
"条目“%(l)s”没有固定分值，请填写申报分值。": "Item “%(l)s” has no fixed points; enter the declared points.",
"“%(c)s”只接受正数分值（扣分也填正数）。": "“%(c)s” accepts only positive points (enter deductions as positive numbers too).",
"“%(c)s”只接受负数分值。": "“%(c)s” accepts only negative points.",
"数量应为不小于 1 的整数，收到“%(q)s”。": "The quantity must be a whole number of at least 1; got “%(q)s”.",
"条目“%(l)s”的分值应在 %(min)s 至 %(max)s 分之间（数量 %(q)s），不能为 %(given)s。":
    "Item “%(l)s” takes between %(min)s and %(max)s points (quantity %(q)s), not %(given)s.",
"积分方案规定%(cadence)s审核一次，审核批次只能按月或按季度发起。":
    "The points scheme reviews %(cadence)s; review rounds can only be opened monthly or quarterly.",
"每月": "monthly", "每季度": "quarterly", "每半年": "half-yearly", "每年": "yearly",
"须党建指导员到会签字": "Party-building guide must attend and sign", "申报方式": "Declared by",
"申报人账号": "Declarant's account", "反映人姓名": "Reporter's name", "反映人联系方式": "Reporter's contact",
"积分方案版本": "Points scheme version", "条目名称": "Item name", "认定会议": "Deciding meeting",
"录入认定人": "Decision entered by", "申报时间": "Declared at", "积分申报": "Points declaration",
"原文件名": "Original file name", "实到人员名单": "List of those present", "支部审核会议": "Branch review meeting",
"审查人": "Reviewer", "审查组织": "Reviewing organisation", "审查时间": "Reviewed at", "公示类型": "Publicity type",
"公示截止日期": "Publicity end date", "公示期满时间": "Publicity ended at", "异议人姓名": "Objector's name",
"答复理由": "Reasons for the answer", "逾期督办时间": "Overdue supervision at", "情况说明备案日期": "Explanation filed on",
"更正公示": "Corrections publicity", "操作人说明": "Actor label",
"%(label)s“%(value)s”不是有效的分值。": "%(label)s “%(value)s” is not a valid number of points.",
"%(label)s最多保留两位小数，收到“%(value)s”。": "%(label)s may have at most two decimal places; got “%(value)s”.",
"%(label)s“%(value)s”超出范围。": "%(label)s “%(value)s” is out of range.",
"审核批次“%(round)s”没有对应的审核流程。": "Review round “%(round)s” has no review process.",
"审核批次“%(round)s”正由他人处理，请稍后再试。": "Review round “%(round)s” is being handled by someone else; try again shortly.",
"该异议正由他人处理，请稍后再试。": "This objection is being handled by someone else; try again shortly.",
"“%(org)s”没有上级党组织，无法报上级审查备案，不能发起审核批次。":
    "“%(org)s” has no higher Party organisation to report to for review and filing, so it cannot open a review round.",
"审核周期“%(kind)s”无效，应为季度或月度。": "Review cycle “%(kind)s” is invalid; it must be quarterly or monthly.",
"截止日期 %(end)s 早于起始日期 %(start)s。": "The end date %(end)s is before the start date %(start)s.",
"考核周期起始日 %(cycle)s 晚于审核期起始日 %(start)s。": "The cycle start %(cycle)s is after the period start %(start)s.",
"“%(org)s”已有与该期间重叠的审核批次：%(round)s。": "“%(org)s” already has a review round overlapping this period: %(round)s.",
"审核批次“%(round)s”已报上级，不能再收集申报。": "Review round “%(round)s” has been reported upward and takes no more declarations.",
"只能以本人名义申报自己的积分；为他人申报请选择“专人代为申报”。":
    "You can only declare your own points in your own name; to declare for someone else choose “By clerk”.",
"群众反映须填写反映人姓名和联系方式。": "A report from the public needs the reporter's name and contact.",
"申报方式“%(kind)s”无效。": "Declaration type “%(kind)s” is invalid.",
"%(member)s 不在册，不能申报。": "%(member)s is not on the roll and cannot declare.",
"请填写积分项目。": "Enter the component.", "请选择积分细则条目。": "Choose a rule item.", "请填写事由。": "Describe what happened.",
"数量“%(q)s”不是整数。": "Quantity “%(q)s” is not a whole number.", "数量至少为1，收到 %(q)s。": "The quantity must be at least 1; got %(q)s.",
"发生日期无效。": "The date of the event is invalid.",
"发生日期 %(d)s 在今天之后，不能申报尚未发生的事项。": "The date of the event %(d)s is after today; you cannot declare something that has not happened yet.",
"请填写申报分值。": "Enter the declared points.",
"只有申报人或支部工作人员可以补充佐证材料。": "Only the declarant or branch staff may add evidence.",
"申报已%(status)s，不能再补充佐证材料。": "The declaration is already %(status)s; no more evidence can be added.",
"只有申报人本人可以撤回申报。": "Only the declarant may withdraw a declaration.",
"申报已%(status)s，不能撤回。": "The declaration is already %(status)s and cannot be withdrawn.",
"支部会议已开始审核该申报，不能撤回。": "The branch meeting has started reviewing this declaration; it cannot be withdrawn.",
"审核批次“%(round)s”当前状态为“%(status)s”，不在支部会议审核阶段。":
    "Review round “%(round)s” is “%(status)s”, not at the branch meeting review step.",
"会议类型“%(kind)s”无效，应为支部党员大会或支委会。": "Meeting type “%(kind)s” is invalid; it must be a branch general meeting or a branch committee meeting.",
"会议日期无效或在今天之后。": "The meeting date is invalid or after today.",
"应到人数和实到人数必须是整数。": "The numbers entitled and present must be whole numbers.",
"应到人数必须大于0。": "The number entitled to attend must be more than 0.",
"实到人数 %(a)s 不能超过应到人数 %(e)s。": "The %(a)s present cannot exceed the %(e)s entitled.",
"实到人员名单 %(n)s 人与实到人数 %(a)s 不符。": "The list of those present (%(n)s) does not match the number present (%(a)s).",
"请填写会议记录人。": "Enter the minute-taker.",
"会议日期 %(d)s 早于审核期起始日 %(s)s。": "The meeting date %(d)s is before the period start %(s)s.",
"农村积分方案要求党建指导员到会并签字，请填写党建指导员。":
    "The rural scheme requires the Party-building guide to attend and sign; enter the Party-building guide.",
"本轮（第%(n)s次）尚未记录支部会议，不能认定申报。": "No branch meeting is recorded for this pass (%(n)s), so declarations cannot be decided.",
"%(date)s 的会议应到 %(e)s 人、实到 %(a)s 人，未超过应到人数的一半，会议决定无效，不能认定申报。":
    "The meeting on %(date)s had %(a)s present of %(e)s entitled, not more than half; its decisions are invalid and cannot decide declarations.",
"申报“%(d)s”不属于审核批次“%(round)s”。": "Declaration “%(d)s” is not part of review round “%(round)s”.",
"申报“%(d)s”已撤回。": "Declaration “%(d)s” has been withdrawn.",
"调整后的分值": "Adjusted points",
"调整后的分值与申报分值相同，请选择“认定”。": "The adjusted points equal the declared points; choose “Approve”.",
"调整认定须说明理由。": "An adjustment needs a reason.", "不予认定须说明理由。": "A rejection needs a reason.",
"认定结果“%(o)s”无效，应为认定、调整认定或不予认定。": "Decision “%(o)s” is invalid; it must be approve, adjust or reject.",
"申报“%(d)s”尚未纳入审核批次。": "Declaration “%(d)s” is not yet in a review round.",
"申报 %(ids)s 不属于审核批次“%(round)s”。": "Declarations %(ids)s are not part of review round “%(round)s”.",
"以下申报已被认定或撤回，请刷新后重试：%(list)s。": "These declarations were already decided or withdrawn; refresh and try again: %(list)s.",
"审核批次“%(round)s”没有待认定的申报。": "Review round “%(round)s” has no declarations awaiting a decision.",
"农村积分方案要求党建指导员到会签字，本次会议未记录党建指导员。":
    "The rural scheme requires the Party-building guide to attend and sign, but none is recorded for this meeting.",
"审核批次“%(round)s”没有任何已认定的申报，无需报上级审查。":
    "Review round “%(round)s” has no decided declarations, so there is nothing to report for review.",
"还有 %(n)s 项申报未认定（%(list)s），不能报上级审查。": "%(n)s declaration(s) are still undecided (%(list)s); the round cannot be reported for review.",
"审核批次“%(round)s”的支部会议审核已由他人提交。": "The branch meeting review of round “%(round)s” was already submitted by someone else.",
"本次%(kind)s应到%(e)s人，实到%(a)s人，超过应到人数的一半。经逐项审议，同意上述审核意见，报上级党组织审查备案。":
    "This %(kind)s had %(a)s present of %(e)s entitled, more than half. Having considered each item, it agrees with the decisions above and reports them to the higher Party organisation for review and filing.",
"您不是“%(org)s”上级党组织的审查人，不能审查备案该批次（支部不能自行备案）。":
    "You are not a reviewer of the Party organisation above “%(org)s”, so you cannot review and file this round (a branch cannot file its own).",
"审核批次“%(round)s”当前状态为“%(status)s”，不在上级审查阶段。": "Review round “%(round)s” is “%(status)s”, not at the higher-review step.",
"审核批次“%(round)s”已由他人审查。": "Review round “%(round)s” was already reviewed by someone else.",
"公示开始日期 %(d)s 早于支部会议日期 %(m)s。": "The publicity start date %(d)s is before the branch meeting date %(m)s.",
"公示开始日期 %(d)s 距今超过30天，请在备案后及时公示。": "The publicity start date %(d)s is more than 30 days away; publish promptly after filing.",
"退回须填写审查意见，说明需要修改的内容。": "A return needs review comments saying what must be corrected.",
"公示期少于 %(min)s 天。": "The publicity period is shorter than %(min)s days.",
"异议成立：%(reason)s": "Objection upheld: %(reason)s",
"请填写异议人姓名。": "Enter the objector's name.", "请填写异议人联系方式，以便支部答复。": "Enter the objector's contact so the branch can answer.",
"请填写异议理由。": "Enter the reason for the objection.", "受理日期 %(d)s 在今天之后。": "The date received %(d)s is after today.",
"该事项未在公示中，不能提出异议。": "This item is not in publicity, so it cannot be objected to.",
"“%(round)s”在 %(d)s 不在公示期内，不能提出异议。": "“%(round)s” is not in its publicity period on %(d)s; objections are not possible.",
"“%(d)s”不在本次公示的事项中。": "“%(d)s” is not among the items in this publicity.",
"答复须说明调查核实情况和理由。": "The answer must give the findings and reasons.",
"答复日期 %(d)s 在今天之后。": "The answer date %(d)s is after today.",
"答复日期 %(d)s 早于受理日期 %(r)s。": "The answer date %(d)s is before the date received %(r)s.",
"更正后的分值与现有分值相同；若无需更正，请选择“异议不成立”。":
    "The corrected points equal the current points; if no correction is needed, choose “Dismissed”.",
"处理结果“%(o)s”无效，应为异议成立或异议不成立。": "Outcome “%(o)s” is invalid; it must be upheld or dismissed.",
"该异议已于 %(d)s 答复。": "This objection was answered on %(d)s.", "该异议已由他人答复。": "This objection was already answered by someone else.",
"异议成立。%(member)s 该项积分由 %(old)s 分更正为 %(new)s 分，更正记录将载入积分台账，更正结果另行公示。":
    "Objection upheld. %(member)s's points for this item are corrected from %(old)s to %(new)s; the correction will be posted to the points ledger and published separately.",
"异议不成立，维持原认定结果。": "Objection dismissed; the original decision stands.",
"%(round)s积分公示期间异议处理情况": "Objections handled during the points publicity of %(round)s",
"公示期间，我支部于%(d)s收到%(name)s对%(member)s积分事项的异议：%(reason)s":
    "During the publicity period, on %(d)s our branch received an objection from %(name)s to a points item of %(member)s: %(reason)s",
"支部调查核实后，于%(d)s书面答复异议人（答复期限%(due)s）。":
    "After investigating, the branch answered the objector in writing on %(d)s (answer due %(due)s).",
"只有上级党组织的审查人可以将情况说明存档备案。": "Only a reviewer of a higher committee may file the written explanation.",
"支部尚未答复该异议，没有可备案的情况说明。": "The branch has not answered this objection, so there is no explanation to file.",
"情况说明已于 %(d)s 备案。": "The written explanation was filed on %(d)s.", "情况说明已由他人备案。": "The written explanation was already filed by someone else.",
"只有上级党组织的审查人可以督办逾期异议。": "Only a reviewer of a higher committee may supervise overdue objections.",
"请填写督办意见。": "Enter the supervision comments.", "该逾期异议已由他人督办。": "This overdue objection is already supervised by someone else.",
})

# --- schemes -----------------------------------------------------------------------------
T.update({
"已锁定": "Locked", "积分方案": "Points scheme", "自然年（1月1日起）": "Calendar year (from 1 January)",
"七一至次年七一": "1 July to 1 July", "自定（如季度）": "Custom (e.g. quarterly)", "方案名称": "Scheme name",
"周期类型": "Cycle type", "锁定时间": "Locked at",
"本周期已有积分后锁定；此后修改方案只会生成新版本。": "Locked once the cycle has points; later edits to the scheme create a new version.",
"周期结束日期须晚于开始日期。": "The cycle end date must be after the start date.",
"该周期类型须从 %(m)d月%(d)d日开始。": "This cycle type must start on %(d)d/%(m)d (day/month).",
"该周期类型须于 %(end)s 结束。": "This cycle type must end on %(end)s.",
"版本号": "Version number", "预设": "Preset", "参数覆盖": "Parameter overrides", "方案定义": "Scheme definition",
"已校验、已代入参数的方案（格式版本 1）。": "The validated scheme with its parameters filled in (format version 1).",
"修改说明": "Change note", "创建人": "Created by",
"本周期已有积分，方案版本不可修改；请另存为新版本。": "The cycle already has points, so this scheme version cannot be changed; save it as a new version.",
"本周期已有积分，方案版本不可删除。": "The cycle already has points, so this scheme version cannot be deleted.",
})

# --- workdays ----------------------------------------------------------------------------
T.update({
"星期": "Weekday", "日历包的结论": "Calendar package says", "该年份无数据": "No data for that year",
"上班": "Working day", "放假": "Holiday",
"chinese_calendar 不包含 %(year)s 年的节假日安排（已录入 %(count)s 条调整）。请按国务院公布的放假通知录入该年的节假日和调休上班日，否则按周一至周五上班计算。":
    "chinese_calendar has no holiday schedule for %(year)s (%(count)s adjustments entered). Enter that year's holidays and make-up working days from the State Council's notice; otherwise Monday to Friday count as working days.",
"工作日历": "Working-day calendar", "工作日": "Working day",
"勾选表示当天上班（含调休补班）；不勾选表示当天放假。": "Ticked means a working day (including make-up working days); unticked means a holiday.",
"例如“国庆节”“国庆节调休上班”及所依据的国务院通知。": "E.g. “National Day” or “National Day make-up working day”, and the State Council notice it follows.",
"更新时间": "Updated at", "工作日调整": "Working-day adjustment",
})
