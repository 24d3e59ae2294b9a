"""The article's figures (/work/shared/seed/jingzi-article.txt, DESIGN §5) as the demo uses them, in one place, so a
reader can check them against the article: grouped by the article's four sections, each with the article's own words.

Flows are this year's totals from January to the last complete month, stocks the level at its end. Where the article
says “余”, “多” or “以上”, the demo picks one value at or above the figure and says so. Figures marked “entered” are
typed into the monthly forms (demo/reports.py files them); the others are what the ledgers of the generators
(demo/branches.py, industry.py, environment.py, governance.py, volunteers.py) are built to count, and a few of those
(marked “built”) are not read by any generator, since the demo makes them by what it builds (so many teams, one per
village …): they are here for the reader and for checks. Names the article gives (places, products, activity types)
are here when a generator uses them as they are. How each generator spreads a figure over units and months, and what
last year looked like, stays in the generator.
"""

from decimal import Decimal

# ── “支部+产业发展”，激发经济活力 (demo/industry.py) ──────────────────────────────────────────────────────────────

ENTERPRISE_CADRES = 16  # 派驻16名干部专企专抓 (built: the `cadre` login, the deputy head and fourteen 联村干部)
ENTERPRISES = 66  # 为66家大中小企业送政策、解难题 (built: the two leading enterprises and 64 placeholders)
# 引进做强湖南角山米业、湖南思慕生物科技有限公司等“粮油+”产业链 (the demo spells the first one out as a company name)
LEADING_ENTERPRISES = ("湖南角山米业有限公司", "湖南思慕生物科技有限公司")
# 镇域规模以上企业预计实现年财税2000万元以上，带动60个岗位就业 (entered, the town's own reports)
ENTERPRISE_TAX = Decimal("2136.45")  # 年财税2000万元以上: any value ≥ 2000 (万元)
ENTERPRISE_JOBS = 60  # 带动60个岗位就业 (at month end; the above-scale enterprises' jobs in the ledger add up to it)

# 9个集体经济薄弱村全部消薄，所有村集体经济均达到5万元以上，2个村达10万元以上 (built: industry.WEAK_LAST_YEAR names
# the nine, under 50,000 元 last year; every village at or above 50,000 元 this year; industry.STRONG_THIS_YEAR the two)
WEAK_VILLAGES = 9
STRONG_VILLAGES = 2

# 铜梁村党总支部……打造红薯粉、红薯片、芝麻糖、柴火腊肉“铜梁四宝”特色品牌，实现单个产业为集体增收超5万元
SIBAO = "铜梁四宝"
SIBAO_PRODUCTS = ("红薯粉", "红薯片", "芝麻糖", "柴火腊肉")
SIBAO_INCOME = 56_800  # 为集体增收超5万元: any value > 50,000 (元)
# 增峰、黄巢党支部……带动农户种植火龙果、猕猴桃等高质水果，并利用电商平台拓宽销路，实现1万余公斤水果礼盒销售，
# 完成集体增收10万元以上
FRUIT_VILLAGES = ("增峰村", "黄巢村")
FRUIT_INCOME = {"增峰村": 55_600, "黄巢村": 52_400}  # 集体增收10万元以上: any total ≥ 100,000 (元; 108,000)
FRUIT_ONLINE_KG = {"增峰村": 5_700, "黄巢村": 5_200}  # 1万余公斤水果礼盒销售: any total ≥ 10,000 (公斤 online; 10,900)

# ── “支部+环境整治”，建设美丽乡村 (demo/environment.py; the grids are the shared model's, demo/branches.py) ─────────

PILOTS = ("长湾村", "杨球村")  # 以长湾、杨球村为试点全面推动“131”新机制普及运行
TOTAL_GRIDS = 122  # 全镇122个网格
SANBIAN = "三边三清"  # 扎实有效开展“三边三清”工作
# 发动500余名干部群众和志愿者……发放1万余份人居环境倡议书 (entered)
ENV_PARTICIPANTS = 586  # 发动500余名干部群众和志愿者: any value ≥ 500 (人次)
ENV_LEAFLETS = 10_860  # 发放1万余份人居环境倡议书: any value ≥ 10,000 (份)
GARBAGE_TONS = Decimal(427)  # 清除陈旧垃圾427吨
BILLBOARDS = 236  # 破旧落地广告牌200余块: any value ≥ 200
ROAD_KM = Decimal(12)  # 清理12公里S331井字段沿路环境
RIVER_KM = Decimal(3)  # 疏通、硬化3公里观瑞河道
# 投入1020万元推进污水处理厂建设，铺设雨污分离管网3.88千米，预计每年可处理污水18万吨
PLANT_INVESTMENT = Decimal(1020)  # 万元
PLANT_PIPE_KM = Decimal("3.88")  # 千米
PLANT_CAPACITY = Decimal(18)  # 万吨 a year (a stock)
HOLLOW_HOUSES = 541  # 有序拆除541栋空心房
TOILETS = 53  # 高标准改厕53座
GUANGJIA = "蔡和森蔡畅故居光甲堂"  # 杨球村党支部全力整治蔡和森蔡畅故居光甲堂周边卫生死角

# ── “支部+基层治理”，贴心服务群众 (demo/governance.py; the members and micro-grids are demo/branches.py's) ────────

TOTAL_MEMBERS = 1158  # 深入推进1158名党员实现“五个到户”全覆盖
TOTAL_MICRO_GRIDS = 116  # 共建有116个党员服务群众微网格

# 疫情防控
GOV_LEAFLETS = 52_400  # 镇域累计发放张贴倡议书5万余份: any value ≥ 50,000 (份; entered)
BOOSTER_DOSES = 7779  # 累计接种新冠疫苗加强针7779剂次 (entered)
CHECKPOINTS = 24  # 在村道路口及与外市(县)边界处设立卡点24个
CHECKPOINT_CADRES = 144  # 动员140余名党员干部在重要节假日设卡管控: any value ≥ 140 (six at each checkpoint)

# 维护安全生产不动摇
PATROL_CADRES = 78  # 集合镇村党员干部78人组建6支巡查队伍
PATROL_TEAMS = 6  # (built: four area teams, the 集镇's and the road-safety team)
ROAD_PARTNERS = "派出所"  # 联合派出所……
ROAD_SAFETY = 37  # 联合派出所大规模开展道路安全整治活动37次
UMBRELLAS = 186  # 拆除摩托车遮阳伞186把
HELMETS = 695  # 劝导戴帽695人次
CRACKDOWNS = 26  # 开展打非治违活动26次
INSPECTIONS = 50  # 集中排查安全隐患活动50次
HAZARDS = 176  # 检查安全隐患170多处，全部整改到位: any value ≥ 170, every one rectified

# 解决矛盾不缺位
MEDIATION_ROOMS = 22  # 22个村(社区)均成立调解委员会、建立调解室 (built: one in every village)
DISPUTES = 467  # 调处纠纷467起
PETITIONS_RESOLVED = 16  # 扎实推进16件信访积案化解

# ── “支部+文明实践”，打造和森故里红色井字 (demo/volunteers.py) ──────────────────────────────────────────────────

LECTURERS = "和森故里红色宣讲队"  # 成立了“和森故里，红色井字”红色宣讲队
STATIONS = 23  # 完成23个新时代文明实践所(站)的建设 (built: the town's 所 and one 站 in every village)
TEAMS = 22  # 全镇登记志愿服务团队22个 (built: the two professional teams and twenty villages' own)
PROFESSIONAL_TEAMS = 2  # 其中专业志愿服务队2个 (built: the 宣讲队 and the medical team)
VOLUNTEERS = 980  # 共有志愿者980名
# 新时代文明实践理论宣讲、助力春耕生产、“三留一困”人员关爱、破冰除雪、疫情防控、反电信诈骗宣传、学雷锋志愿服务、
# 人居环境整治等志愿活动100多场次，服务群众1万余人次 (the kinds by their short names, as volunteers' activity types)
ACTIVITY_KINDS = (
    "理论宣讲", "助力春耕", "三留一困关爱", "破冰除雪", "疫情防控", "反电信诈骗宣传", "学雷锋", "人居环境整治",
)  # fmt: skip
ACTIVITIES = 120  # 志愿活动100多场次: any value ≥ 100
PEOPLE_SERVED = 10_650  # 服务群众1万余人次: any value ≥ 10,000
