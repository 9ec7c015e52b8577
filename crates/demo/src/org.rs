//! The demo organisation as static data: 县委宣传部, three Party groups
//! under it, their departments, branches, people and channels. Names and
//! titles only: no ID numbers or any other personal data.

use crate::text::{self, Texts};

/// A person to create. `username` is `Some` for the demo accounts.
pub(crate) struct PersonSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub username: Option<&'static str>,
}

const fn p(name: &'static str, title: &'static str) -> PersonSpec {
    PersonSpec { name, title, username: None }
}

const fn login(name: &'static str, title: &'static str, username: &'static str) -> PersonSpec {
    PersonSpec { name, title, username: Some(username) }
}

/// A 班子成员 and the departments he or she is in charge of (一岗双责).
pub(crate) struct LeaderSpec {
    pub person: PersonSpec,
    pub in_charge_of: &'static [&'static str],
}

pub(crate) struct DepartmentSpec {
    pub name: &'static str,
    pub head: PersonSpec,
}

pub(crate) struct BranchSpec {
    pub name: &'static str,
    pub secretary: PersonSpec,
    /// 党员人数 (应到 at a 党员大会 or 主题党日).
    pub members: u32,
    /// 支委 count (应到 at a 支委会).
    pub committee: u32,
    /// Members (other than the secretary) named when someone is absent;
    /// the first `committee - 1` of them sit on the branch committee.
    pub member_names: &'static [&'static str],
}

/// Who runs a channel (谁主办谁负责).
pub(crate) enum ChannelOwner {
    /// The head of the named department.
    Head(&'static str),
    /// The unit's staff member.
    Staff,
}

pub(crate) struct ChannelSpec {
    pub name: &'static str,
    pub kind: &'static str,
    pub account: &'static str,
    pub owner: ChannelOwner,
    /// Base of article addresses for websites; empty for social accounts.
    pub url_base: &'static str,
}

pub(crate) struct GroupSpec {
    pub name: &'static str,
    /// The unit's short name for texts: 县民政局.
    pub short: &'static str,
    /// 党组 or 党委, for texts.
    pub body: &'static str,
    /// The field of work, for texts: 民政事业.
    pub field: &'static str,
    pub secretary: PersonSpec,
    pub leaders: &'static [LeaderSpec],
    pub departments: &'static [DepartmentSpec],
    pub staff: PersonSpec,
    pub branches: &'static [BranchSpec],
    pub channels: &'static [ChannelSpec],
    pub texts: &'static Texts,
}

pub(crate) const ROOT_NAME: &str = "县委宣传部";

/// The administrator, the inspector (read-only) and the 副部长 who
/// reviews the units' annual assessments.
pub(crate) const ROOT_PEOPLE: &[PersonSpec] = &[
    login("系统管理员", "系统管理员", "admin"),
    login("周建平", "县委宣传部督查室主任", "xcb-ducha"),
    login("吴振华", "县委宣传部副部长", "xcb-kaohe"),
];

pub(crate) const MINZHENG: &str = "县民政局党组";
pub(crate) const SHUILI: &str = "县水利局党委";
pub(crate) const CANLIAN: &str = "县残联党组";
pub(crate) const MINZHENG_BRANCH_1: &str = "县民政局机关第一党支部";
pub(crate) const MINZHENG_WECHAT: &str = "县民政局微信公众号";
pub(crate) const MINZHENG_FORUM: &str = "县民政局“民政大讲堂”";

pub(crate) const GROUPS: &[GroupSpec] = &[
    GroupSpec {
        name: MINZHENG,
        short: "县民政局",
        body: "党组",
        field: "民政事业",
        secretary: login("王建国", "党组书记、局长", "mz-shuji"),
        leaders: &[
            LeaderSpec {
                person: login("李红梅", "党组成员、副局长", "mz-fuju"),
                in_charge_of: &["办公室", "社会事务股"],
            },
            LeaderSpec { person: p("赵志刚", "党组成员、副局长"), in_charge_of: &["社会救助股"] },
            LeaderSpec { person: p("孙卫东", "党组成员、副局长"), in_charge_of: &["养老服务股"] },
        ],
        departments: &[
            DepartmentSpec { name: "办公室", head: login("陈静", "办公室主任", "mz-bgs") },
            DepartmentSpec { name: "社会救助股", head: p("杨帆", "社会救助股股长") },
            DepartmentSpec { name: "养老服务股", head: p("黄立新", "养老服务股股长") },
            DepartmentSpec { name: "社会事务股", head: p("吴海燕", "社会事务股股长") },
        ],
        staff: login("刘晓雯", "办公室科员", "mz-keyuan"),
        branches: &[
            BranchSpec {
                name: MINZHENG_BRANCH_1,
                secretary: login("郑国华", "机关第一党支部书记", "mz-zhibu1"),
                members: 16,
                committee: 5,
                member_names: &["陈静", "杨帆", "刘晓雯", "何佳", "马俊", "沈丽华", "韩磊", "许文"],
            },
            BranchSpec {
                name: "县民政局机关第二党支部",
                secretary: p("冯玉兰", "机关第二党支部书记"),
                members: 13,
                committee: 3,
                member_names: &["黄立新", "吴海燕", "程亮", "田甜", "宋志明", "邱雪"],
            },
        ],
        channels: &[
            ChannelSpec {
                name: "县民政局门户网站“民政动态”栏目",
                kind: "website",
                account: "https://mzj.example.gov.cn/mzdt/",
                owner: ChannelOwner::Head("办公室"),
                url_base: "https://mzj.example.gov.cn/mzdt",
            },
            ChannelSpec {
                name: MINZHENG_WECHAT,
                kind: "wechat",
                account: "微信公众号“县民政局”",
                owner: ChannelOwner::Staff,
                url_base: "",
            },
            ChannelSpec {
                name: MINZHENG_FORUM,
                kind: "event",
                account: "局机关三楼会议室",
                owner: ChannelOwner::Head("办公室"),
                url_base: "",
            },
        ],
        texts: &text::MINZHENG,
    },
    GroupSpec {
        name: SHUILI,
        short: "县水利局",
        body: "党委",
        field: "水利事业",
        secretary: login("刘志强", "党委书记、局长", "sl-shuji"),
        leaders: &[
            LeaderSpec {
                person: p("何建军", "党委委员、副局长"), in_charge_of: &["办公室", "水资源股"]
            },
            LeaderSpec { person: p("马文涛", "党委委员、副局长"), in_charge_of: &["水利工程股"] },
        ],
        departments: &[
            DepartmentSpec { name: "办公室", head: p("许丽娟", "办公室主任") },
            DepartmentSpec { name: "水利工程股", head: p("高强", "水利工程股股长") },
            DepartmentSpec { name: "水资源股", head: p("林晓峰", "水资源股股长") },
        ],
        staff: p("罗佳", "办公室科员"),
        branches: &[
            BranchSpec {
                name: "县水利局机关党支部",
                secretary: p("韩东升", "机关党支部书记"),
                members: 21,
                committee: 5,
                member_names: &["许丽娟", "高强", "林晓峰", "罗佳", "邵峰", "姚敏", "汪洋", "龚晓东"],
            },
            BranchSpec {
                name: "县水利局离退休干部党支部",
                secretary: p("潘永福", "离退休干部党支部书记"),
                members: 12,
                committee: 3,
                member_names: &["范德明", "石桂兰", "贺正清", "段秀珍", "雷振华", "方玉梅"],
            },
        ],
        channels: &[
            ChannelSpec {
                name: "县水利局门户网站“水利要闻”栏目",
                kind: "website",
                account: "https://slj.example.gov.cn/slyw/",
                owner: ChannelOwner::Head("办公室"),
                url_base: "https://slj.example.gov.cn/slyw",
            },
            ChannelSpec {
                name: "县水利局微信公众号",
                kind: "wechat",
                account: "微信公众号“县水利局”",
                owner: ChannelOwner::Staff,
                url_base: "",
            },
            ChannelSpec {
                name: "县水利局“水利讲堂”",
                kind: "event",
                account: "局机关会议室",
                owner: ChannelOwner::Head("办公室"),
                url_base: "",
            },
        ],
        texts: &text::SHUILI,
    },
    GroupSpec {
        name: CANLIAN,
        short: "县残联",
        body: "党组",
        field: "残疾人事业",
        secretary: login("张慧敏", "党组书记、理事长", "cl-shuji"),
        leaders: &[
            LeaderSpec {
                person: p("钱伟", "党组成员、副理事长"), in_charge_of: &["办公室", "就业股"]
            },
            LeaderSpec { person: p("曹秀英", "党组成员、副理事长"), in_charge_of: &["康复股"] },
        ],
        departments: &[
            DepartmentSpec { name: "办公室", head: p("彭磊", "办公室主任") },
            DepartmentSpec { name: "康复股", head: p("邓小燕", "康复股股长") },
            DepartmentSpec { name: "就业股", head: p("谢宏", "就业股股长") },
        ],
        staff: p("唐思远", "办公室科员"),
        branches: &[BranchSpec {
            name: "县残联机关党支部",
            secretary: p("蒋文斌", "机关党支部书记"),
            members: 11,
            committee: 3,
            member_names: &["彭磊", "邓小燕", "谢宏", "唐思远", "袁芳", "卢海军"],
        }],
        channels: &[
            ChannelSpec {
                name: "县残联门户网站“工作动态”栏目",
                kind: "website",
                account: "https://cl.example.gov.cn/gzdt/",
                owner: ChannelOwner::Head("办公室"),
                url_base: "https://cl.example.gov.cn/gzdt",
            },
            ChannelSpec {
                name: "县残联微信视频号",
                kind: "video",
                account: "微信视频号“县残联”",
                owner: ChannelOwner::Staff,
                url_base: "",
            },
        ],
        texts: &text::CANLIAN,
    },
];

impl GroupSpec {
    /// 班子成员: the secretary, then the leaders.
    pub fn team(&self) -> Vec<&'static str> {
        std::iter::once(self.secretary.name).chain(self.leaders.iter().map(|l| l.person.name)).collect()
    }

    /// The leader in charge of 办公室 (who keeps the risk ledger).
    pub fn office_leader(&self) -> &'static str {
        self.leaders
            .iter()
            .find(|l| l.in_charge_of.contains(&"办公室"))
            .map(|l| l.person.name)
            .unwrap_or(self.secretary.name)
    }

    pub fn department_heads(&self) -> Vec<&'static str> {
        self.departments.iter().map(|d| d.head.name).collect()
    }
}
