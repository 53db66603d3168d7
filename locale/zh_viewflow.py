"""Simplified Chinese for viewflow's own interface strings (viewflow 2.4 ships them untranslated).

Added to the zh_Hans catalogue by ``locale/update.py`` so the workflow pages have no
English in their navigation.
"""
T = {
    "Administration": "系统管理", "Format": "格式", "Transition is not allowed": "不允许此操作",
    "Invalid transition": "无效操作", "Bad Request": "请求无效", "View site": "查看网站", "Access Forbidden": "无权访问",
    "You are not logged in": "您尚未登录", "%(user)s have no rights to access this page": "%(user)s 无权访问此页面",
    "Log in": "登录", "Log in as another user": "以其他用户登录", "Page not found": "页面不存在",
    "We're sorry, but the requested page could not be found.": "抱歉，您请求的页面不存在。", "Server error": "服务器错误",
    "Graph": "流程图", "Filter": "筛选", "Home": "首页", "Please correct the error below.": "请改正下面的错误。",
    "Please correct the errors below.": "请改正下面的错误。", "Logout": "退出登录", "Log out": "退出登录",
    "Log in again": "重新登录", "Reset password": "重置密码", "Profile": "个人资料", "Change": "修改", "Cancel": "取消",
    "Reset": "重置", "Change password": "修改密码", "Edit": "编辑", "Submit": "提交", "Login": "登录", "Export": "导出",
    "Back": "返回", "Pick an action": "选择操作", "Applications": "应用", "Delete": "删除", "New": "新建", "Add": "添加",
    "Save": "保存", "Confirm": "确认", "Dashboard": "概览", "Inbox": "待办", "Queue": "待领取", "Archive": "已办",
    "No rights to execute": "无权执行", "Created": "创建时间", "Assigned": "已领取", "Execute": "办理", "Assign": "领取",
    "View": "查看", "Show all": "显示全部", "Finished": "完成时间", "Process list": "流程列表", "#": "编号",
    "Description": "说明", "Owner": "办理人", "Started": "已开始", "Status": "状态", "Start": "开始",
    "Start and continue": "开始并继续", "Execute and continue": "办理并继续", "Assign and continue": "领取并继续",
    "Previous tasks": "前序任务", "No previous tasks": "没有前序任务", "Next tasks": "后续任务", "No next tasks": "没有后续任务",
    "Revive": "恢复", "Unassign": "退回待领取", "Undo": "撤销", "Assign selected tasks": "领取所选任务", "Task": "任务",
    "Brief": "摘要", "Process brief": "流程摘要", "confirm": "确认", "Unassign selected tasks": "退回所选任务",
    "New process": "新流程", "Workflow": "工作流", "Task {task} has been assigned.": "任务 {task} 已领取。",
    "Task {task} has been unassigned.": "任务 {task} 已退回待领取。", "Task {task} has been canceled.": "任务 {task} 已取消。",
    "Task {task} has been undone.": "任务 {task} 已撤销。", "Task {task} has been revived.": "任务 {task} 已恢复。",
    "Process {process} has been started.": "流程 {process} 已开始。",
    "You have no rights to view this task": "您无权查看此任务", "Task {task} has been completed.": "任务 {task} 已完成。",
    "Processes": "流程", "Flow": "流程", "Type": "类型", "Previous": "上一步", "Token": "令牌",
    "External Task ID": "外部任务编号", "Permission": "权限", "Process": "流程", "Tasks": "任务", "Active": "进行中",
    "Canceled": "已取消", "Completed": "已完成", "Done": "已完成", "Error": "错误", "Revived": "已恢复",
    "Scheduled": "已计划", "Process #{self.object.pk} can not be canceled.": "流程 #{self.object.pk} 不能取消。",
    "Process #{self.object.pk} has been canceled.": "流程 #{self.object.pk} 已取消。",
    "The {obj} was added successfully. {link}": "{obj} 已添加。{link}",
    "The {obj} was deleted successfully.": "{obj} 已删除。", "The {obj} was changed successfully. {link}": "{obj} 已修改。{link}",
}
