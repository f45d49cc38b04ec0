"""Default rules a new school starts with, taken from the schools' own
plans: quantified conduct management in five dimensions (德育 学习 纪律 卫生
活动), the weekly star, and the eight 校园之星 chosen every two months.
Administrators edit them in the admin; these are only the first rows."""

from decimal import Decimal as D

# (name, dimension, points)
CONDUCT_ITEMS = [
    ("主动帮助同学", "morality", D("2")),
    ("文明礼貌", "morality", D("1")),
    ("拾金不昧", "morality", D("3")),
    ("诚实守信", "morality", D("2")),
    ("说脏话", "morality", D("-1")),
    ("与同学发生冲突", "morality", D("-2")),
    ("上课积极发言", "study", D("1")),
    ("作业优秀", "study", D("1")),
    ("进步明显", "study", D("2")),
    ("作业未完成", "study", D("-1")),
    ("作业书写潦草", "study", D("-0.5")),
    ("遵守课堂纪律", "discipline", D("1")),
    ("迟到", "discipline", D("-1")),
    ("上课讲话", "discipline", D("-0.5")),
    ("课间追逐打闹", "discipline", D("-1")),
    ("值日认真", "hygiene", D("1")),
    ("个人卫生整洁", "hygiene", D("0.5")),
    ("乱扔纸屑", "hygiene", D("-0.5")),
    ("值日未完成", "hygiene", D("-1")),
    ("积极参加集体活动", "activities", D("1")),
    ("两操认真", "activities", D("0.5")),
    ("比赛获奖", "activities", D("3")),
    ("志愿服务", "activities", D("2")),
    ("两操不认真", "activities", D("-0.5")),
]

# (name, period, is_school_star, dimension for candidate suggestions, description)
STAR_CATEGORIES = [
    ("每周之星", "weekly", False, "", "班级每周评选，表彰一周表现突出的同学"),
    ("文明礼貌之星", "bimonthly", True, "morality", "校园之星：文明礼貌"),
    ("乐观豁达之星", "bimonthly", True, "", "校园之星：乐观豁达"),
    ("诚实守信之星", "bimonthly", True, "morality", "校园之星：诚实守信"),
    ("激流勇进之星", "bimonthly", True, "study", "校园之星：勇于进取"),
    ("团队协作之星", "bimonthly", True, "activities", "校园之星：团队协作"),
    ("多才多艺之星", "bimonthly", True, "activities", "校园之星：多才多艺"),
    ("健康阳光之星", "bimonthly", True, "activities", "校园之星：健康阳光"),
    ("爱心使者之星", "bimonthly", True, "morality", "校园之星：爱心使者"),
]
