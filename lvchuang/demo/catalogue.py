"""What the demo is made of: Changsha's campaign bodies, units and logins, as plain data (no Django).

The names of offices, bureaus, courts and schools are the real institutions of 长沙市 so the demo reads like the
real campaign (seed 000); every fact attached to them (areas, headcounts, contacts, phone numbers) is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "430100000000"
PROVINCE_CODE = "430000000000"
SCOPE = "4301"
CITY_SEAT = "430104000000"  # 岳麓区, where the city government sits

# One password for every demo login. It is printed by the commands and must never exist outside a demo.
DEMO_PASSWORD = "lvchuang-demo"
DEFAULT_SEED = 20240301

# The nine county-level divisions of 长沙市 (NBS 2023) → login name (pinyin) and the short name used in the
# names of its ecology-environment branch (长沙市生态环境局芙蓉分局).
DISTRICTS: dict[str, tuple[str, str]] = {
    "430102000000": ("furong", "芙蓉"),
    "430103000000": ("tianxin", "天心"),
    "430104000000": ("yuelu", "岳麓"),
    "430105000000": ("kaifu", "开福"),
    "430111000000": ("yuhua", "雨花"),
    "430112000000": ("wangcheng", "望城"),
    "430121000000": ("changshaxian", "长沙县"),
    "430181000000": ("liuyang", "浏阳"),
    "430182000000": ("ningxiang", "宁乡"),
}
URBAN_DISTRICTS = frozenset({"430102000000", "430103000000", "430104000000", "430105000000", "430111000000"})
# Share of the real communities that take part in the demo: most of the urban core, fewer in the counties.
URBAN_COMMUNITY_SHARE = 0.45
COUNTY_COMMUNITY_SHARE = 0.25

# Streets with a street-office login; their communities always take part.
STREET_LOGINS: dict[str, str] = {
    "430102001000": "wenyilu",  # 芙蓉区 文艺路街道
    "430103002000": "pozijie",  # 天心区 坡子街街道
    "430104001000": "wangyuehu",  # 岳麓区 望月湖街道
    "430111001000": "houjiatang",  # 雨花区 侯家塘街道
}
# Communities with a unit-staff login (code → login name); they always take part.
COMMUNITY_LOGINS: dict[str, str] = {
    "430102001001": "unit-shizili",  # 识字里社区
    "430103002002": "unit-xipailou",  # 西牌楼社区
    "430104001001": "unit-hudong",  # 湖东社区
    "430111001002": "unit-shaoshanlu",  # 韶山路社区
}


# --- departments and bodies (seeds 000, 002, 004) ------------------------------------------------------------

PROVINCE_HOST = "湖南省机关事务管理局"
PROVINCE_OFFICE = "湖南省创建办"
CITY_HOST = "长沙市环境保护宣教站"
CITY_OFFICE = "长沙市创建办"
CITY_OFFICE_ADDRESS = "湖南省长沙市岳麓区（长沙市环境保护宣教站内）"

ENVIRONMENT = "长沙市生态环境局"
ENERGY = "长沙市能源局"
CIVILISATION = "长沙市文明办"
FINANCE = "长沙市财政局"
HOUSING = "长沙市住房和城乡建设局"
DEVELOPMENT = "长沙市发展和改革委员会"
CIVIL_AFFAIRS = "长沙市民政局"
PUBLIC_SECURITY = "长沙市公安局"
MARKET_REGULATION = "长沙市市场监督管理局"
EDUCATION = "长沙市教育局"
HEALTH = "长沙市卫生健康委员会"
GARRISON = "长沙警备区"

CITY_DEPARTMENTS = (
    CITY_HOST,
    ENVIRONMENT,
    ENERGY,
    CIVILISATION,
    FINANCE,
    HOUSING,
    DEVELOPMENT,
    CIVIL_AFFAIRS,
    PUBLIC_SECURITY,
    MARKET_REGULATION,
)
SECTOR_AUTHORITIES = (EDUCATION, HEALTH, GARRISON)

LEADING_GROUP = "长沙市创建节能环保社区工作领导小组"
LEADING_GROUP_MEMBERS = (ENVIRONMENT, ENERGY, CIVILISATION, FINANCE)  # seed 000; the first leads
JOINT_MEETING = "长沙市绿色社区创建行动联席会议"
JOINT_MEETING_OFFICE = "长沙市绿色社区创建联席会议办公室"
JOINT_MEETING_MEMBERS = (  # seed 004; the first leads
    HOUSING,
    DEVELOPMENT,
    CIVIL_AFFAIRS,
    PUBLIC_SECURITY,
    ENVIRONMENT,
    MARKET_REGULATION,
)


# --- units -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organ:
    name: str
    organ_type: str  # Unit.OrganType value


# 市直机关 (seed 003 lists the eligible organ types).
CITY_ORGANS = (
    Organ("中共长沙市委办公厅", "party"),
    Organ("中共长沙市委组织部", "party"),
    Organ("中共长沙市委宣传部", "party"),
    Organ("中共长沙市委统战部", "party"),
    Organ("长沙市人大常委会办公厅", "congress"),
    Organ("长沙市人民政府办公厅", "government"),
    Organ("政协长沙市委员会办公厅", "cppcc"),
    Organ("长沙市监察委员会", "supervisory"),
    Organ("长沙市中级人民法院", "court"),
    Organ("长沙市人民检察院", "procuratorate"),
    Organ("长沙市总工会", "peoples_org"),
    Organ("共青团长沙市委员会", "peoples_org"),
    Organ("长沙市妇女联合会", "peoples_org"),
    Organ("长沙市发展和改革委员会", "government"),
    Organ("长沙市教育局", "government"),
    Organ("长沙市科学技术局", "government"),
    Organ("长沙市工业和信息化局", "government"),
    Organ("长沙市公安局", "government"),
    Organ("长沙市民政局", "government"),
    Organ("长沙市司法局", "government"),
    Organ("长沙市财政局", "government"),
    Organ("长沙市人力资源和社会保障局", "government"),
    Organ("长沙市自然资源和规划局", "government"),
    Organ("长沙市生态环境局", "government"),
    Organ("长沙市住房和城乡建设局", "government"),
    Organ("长沙市交通运输局", "government"),
    Organ("长沙市水利局", "government"),
    Organ("长沙市农业农村局", "government"),
    Organ("长沙市商务局", "government"),
    Organ("长沙市文化旅游广电局", "government"),
    Organ("长沙市卫生健康委员会", "government"),
    Organ("长沙市应急管理局", "government"),
    Organ("长沙市审计局", "government"),
    Organ("长沙市市场监督管理局", "government"),
    Organ("长沙市统计局", "government"),
    Organ("长沙市城市管理和综合执法局", "government"),
    Organ("长沙市机关事务管理局", "government"),
    Organ("长沙市医疗保障局", "government"),
    Organ("长沙市住房公积金管理中心", "civil_service_institution"),
    Organ("长沙市档案馆", "civil_service_institution"),
)
CITY_ORGAN_WITH_LOGIN = ("长沙市发展和改革委员会", "unit-fagaiwei")

# 区县机关, as templates on the county-level name ({d} = 芙蓉区, 长沙县, 浏阳市 …).
COUNTY_ORGANS = (
    Organ("中共{d}委办公室", "party"),
    Organ("{d}人大常委会办公室", "congress"),
    Organ("{d}人民政府办公室", "government"),
    Organ("政协{d}委员会办公室", "cppcc"),
    Organ("{d}监察委员会", "supervisory"),
    Organ("{d}人民法院", "court"),
    Organ("{d}人民检察院", "procuratorate"),
    Organ("{d}发展和改革局", "government"),
    Organ("{d}教育局", "government"),
    Organ("{d}民政局", "government"),
    Organ("{d}财政局", "government"),
    Organ("{d}住房和城乡建设局", "government"),
    Organ("{d}城市管理和综合执法局", "government"),
    Organ("{d}总工会", "peoples_org"),
)
# Every district and county keeps these; the rest are drawn at random.
COUNTY_ORGANS_ALWAYS = ("{d}人民政府办公室", "{d}人民法院", "{d}人民检察院")
COUNTY_ORGANS_DRAWN = 5

# Secondary schools under 市教育局 (institution type 021), by county-level code.
SCHOOLS = (
    ("长沙市第一中学", "430105000000"),
    ("长沙市周南中学", "430105000000"),
    ("湖南师范大学附属中学", "430104000000"),
    ("长沙市麓山国际实验学校", "430104000000"),
    ("长沙市雅礼中学", "430103000000"),
    ("长郡中学", "430103000000"),
    ("长沙市明德中学", "430102000000"),
    ("长沙市第十一中学", "430102000000"),
    ("长沙市南雅中学", "430111000000"),
    ("长沙市雨花区砂子塘小学", "430111000000"),
    ("长沙市望城区第一中学", "430112000000"),
    ("长沙县第一中学", "430121000000"),
    ("浏阳市第一中学", "430181000000"),
    ("宁乡市第一高级中学", "430182000000"),
)
SCHOOL_WITH_LOGIN = ("长沙市雅礼中学", "unit-yali")
# Primary schools named after a street or town of each county-level division.
PRIMARY_SCHOOLS_PER_COUNTY = 3

HOSPITALS = (
    ("长沙市第一医院", "430105000000"),
    ("长沙市中心医院", "430103000000"),
    ("长沙市第三医院", "430103000000"),
    ("长沙市第四医院", "430104000000"),
    ("长沙市妇幼保健院", "430111000000"),
    ("长沙市望城区人民医院", "430112000000"),
    ("长沙县人民医院", "430121000000"),
    ("浏阳市人民医院", "430181000000"),
    ("宁乡市人民医院", "430182000000"),
)
HOSPITAL_WITH_LOGIN = ("长沙市中心医院", "unit-zhongxin")
HEALTH_CENTRES_PER_COUNTY = 2  # 街道社区卫生服务中心 / 乡镇卫生院

LIBRARIES_AND_MUSEUMS = (
    ("长沙图书馆", "430105000000"),
    ("长沙博物馆", "430105000000"),
    ("长沙简牍博物馆", "430103000000"),
    ("长沙市少年儿童图书馆", "430102000000"),
    ("岳麓区图书馆", "430104000000"),
    ("长沙县图书馆", "430121000000"),
    ("浏阳市图书馆", "430181000000"),
    ("宁乡市图书馆", "430182000000"),
)

ENTERPRISES = (
    ("长沙水业集团有限公司", "430103000000"),
    ("长沙市轨道交通集团有限公司", "430111000000"),
    ("长沙市公共交通集团有限责任公司", "430111000000"),
    ("国网湖南省电力有限公司长沙供电分公司", "430102000000"),
    ("长沙市城市建设投资开发集团有限公司", "430104000000"),
    ("长沙经济技术开发区管委会后勤服务中心", "430121000000"),
)

# Military units organise their own creation through the garrison (seed 002).
MILITARY_UNITS = (
    ("长沙警备区第一离职干部休养所", "430105000000"),
    ("芙蓉区人民武装部", "430102000000"),
    ("岳麓区人民武装部", "430104000000"),
    ("浏阳市人民武装部", "430181000000"),
)

# Units the reviewer is assigned to (by name), to make the reviewer's home page non-empty.
REVIEWED_UNITS = ("长沙市第一中学", "长沙市中心医院")
REVIEWED_COMMUNITIES = 3

# --- people ----------------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Given names are drawn from one pool at a time, so a name does not mix 强 with 梅.
GIVEN_NAME_POOLS = (
    "伟强磊军洋勇杰涛明超刚建国志鹏辉斌宇浩凯俊峰博远湘岳文平",
    "芳娜秀英敏静丽艳娟霞桂兰华红玉燕琳丹欣怡佳雪梅婷慧颖洁晶湘楚",
)

# The fixed logins (username → full name) and what they are; unit staff are in the unit tables above.
ADMIN_LOGIN = ("admin", "系统管理员")
PROVINCE_LOGIN = ("hunan", "彭湘云")
CITY_LOGIN = ("changsha", "刘建华")
SECTOR_LOGINS = ((EDUCATION, "jiaoyu", "周慧敏"), (HEALTH, "weijian", "谭志刚"))
LEADER_LOGIN = ("leader", "曾国平")  # member of the leadership group
JOINT_MEETING_LOGIN = ("lianxi", "贺丽君")  # member of the joint meeting
REVIEWER_LOGIN = ("expert", "龙嘉宁")
# The city's joint review group (联合评审验收组): login, name, home region (for the conflict rules), expertise.
# The first is REVIEWER_LOGIN; 胡晓峰 lives in 芙蓉区 and is kept off its panels.
PANEL_REVIEWERS = (
    ("expert", "龙嘉宁", "430104000000", "节能与建筑能耗"),
    ("expert-hu", "胡晓峰", "430102000000", "生态环境监测"),
    ("expert-xiao", "肖雅琴", "", "社区治理"),
    ("expert-deng", "邓志远", "430181000000", "垃圾分类与资源回收"),
)
VISITOR_LOGIN = ("visitor", "访客")
