//! The norms a policy is checked against, each with where it is written.
//!
//! Seed files are the project's primary sources (`/work/shared/seeds`, cited by file name and
//! clause); national documents are cited as quoted in `policy-research.md`, with its grade.

use serde::Serialize;

/// A rule of a higher-level document (or of the policy format itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Norm {
    /// What the norm requires, in Chinese.
    pub title: &'static str,
    /// The document, e.g. `seed 000：内蒙古自治区医疗保障局等《关于做好2024年城乡居民基本医疗保障工作的通知》（2024-09-03）`.
    pub document: &'static str,
    /// The seed file, for the project's seed documents.
    pub seed: Option<&'static str>,
    /// The clause, e.g. `二(五)`.
    pub clause: &'static str,
    /// The words of the clause.
    pub quote: &'static str,
    /// Further sources saying the same, with their grade.
    pub also: Option<&'static str>,
    /// The first policy year the norm applies to (the year its document took effect); a file
    /// for an earlier year is not an error against it. 0 for the format's own rules.
    pub since: u16,
}

pub const SEED_000: &str = "seed 000：内蒙古自治区医疗保障局、财政厅、税务局《关于做好2024年城乡居民基本医疗保障工作的通知》（2024-09-03）";
pub const SEED_002: &str = "seed 002：呼和浩特市人民政府办公室《呼和浩特市关于健全重特大疾病医疗保险和救助制度的实施方案》（2022-12-02）";
pub const SEED_003: &str = "seed 003：内蒙古自治区《基本医疗保险自治区级统筹实施意见（征求意见稿）》";

/// 大病保险起付标准不高于上年度人均可支配收入.
pub const CRITICAL_ILLNESS_THRESHOLD: Norm = Norm {
    title: "大病保险起付标准原则上不高于上年度居民人均可支配收入",
    document: SEED_000,
    seed: Some("000_a2fde266d752d381.txt"),
    clause: "二(五)",
    quote: "大病保险起付标准原则上不高于当地上年度城乡居民人均可支配收入",
    also: Some("2019年国家通知：起付线为上年度人均可支配收入的50%左右（网易转载，A−，见 policy-research.md）"),
    since: 2019,
};

/// 基本医保 + 大病保险总体限额约为收入的 6 倍.
pub const COMBINED_CAP: Norm = Norm {
    title: "基本医保加大病保险总体最高支付限额达到上年度居民人均可支配收入的6倍左右",
    document: SEED_000,
    seed: Some("000_a2fde266d752d381.txt"),
    clause: "二(五)",
    quote: "基本医保加大病保险总体最高支付限额要达到当地上年度城乡居民人均可支配收入的6倍左右",
    also: None,
    since: 2024,
};

/// 大病保险支付比例不低于 60%.
/// 倾斜支付降低起付线：a tilt's own threshold is not above the ordinary one.
pub const CRITICAL_ILLNESS_TILT: Norm = Norm {
    title: "大病保险倾斜支付的起付线不高于普通参保人的起付线",
    document: SEED_002,
    seed: Some("002_76ff2b27b08e7557.txt"),
    clause: "三(二)；四(三)",
    quote: "对特困人员、低保对象、返贫致贫人口实行大病保险起付线降低50%、支付比例提高5个百分点、取消年度最高支付限额等倾斜保障政策；具有多重特殊身份的困难群众按“就高不就低”的原则享受救助",
    also: None,
    since: 0,
};

pub const CRITICAL_ILLNESS_RATIO: Norm = Norm {
    title: "大病保险政策范围内支付比例不低于60%",
    document: SEED_002,
    seed: Some("002_76ff2b27b08e7557.txt"),
    clause: "三(二)",
    quote: "增强大病保险减负功能，确保政策范围内支付比例不低于60%",
    also: Some("2019年国家通知：大病保险政策范围内支付比例由50%提高至60%（网易转载，A−，见 policy-research.md）"),
    since: 2019,
};

/// 报销比例向高额医疗费用倾斜.
pub const CRITICAL_ILLNESS_RISING: Norm = Norm {
    title: "大病保险报销比例向高额医疗费用倾斜（分段比例不应递减）",
    document: SEED_000,
    seed: Some("000_a2fde266d752d381.txt"),
    clause: "二(五)",
    quote: "合理确定大病保险起付标准、报销比例、最高支付限额……报销比例向高额医疗费用倾斜",
    also: None,
    since: 2024,
};

/// 特困、低保医疗救助比例不低于 70%.
pub const ASSISTANCE_RATIO: Norm = Norm {
    title: "特困人员、低保对象政策范围内住院费用救助比例不低于70%",
    document: "国务院办公厅《关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）",
    seed: None,
    clause: "合理确定基本救助水平",
    quote: "（转述，非原文）低保对象和特困人员的政策范围内费用按不低于70%的比例救助：policy-research.md 据二手引用记录，A−",
    also: Some("seed 002（002_76ff2b27b08e7557.txt）四(三)：低保对象按照不低于70%比例救助"),
    since: 2022,
};

/// 资助参保: 特困全额，低保、返贫致贫不低于 45%.
pub const SUBSIDISED_ENROLMENT: Norm = Norm {
    title: "分类资助参保：特困人员全额资助，低保对象、返贫致贫人口定额资助不低于个人缴费的45%",
    document: SEED_002,
    seed: Some("002_76ff2b27b08e7557.txt"),
    clause: "三(一)",
    quote: "对特困人员给予全额资助，低保对象、返贫致贫人口给予定额资助。定额资助标准不低于我市当期居民医保个人缴费标准的45%",
    also: Some("国办发〔2021〕42号：特困人员全额资助，低保对象、返贫致贫人口定额资助（转引，A−，见 policy-research.md）"),
    since: 2023,
};

/// 不同级别医疗机构拉开差距，引导基层就医.
pub const LEVEL_GRADIENT: Norm = Norm {
    title: "起付线从基层到三级不降低、报销比例不提高：不同级别医疗机构拉开差距，引导基层就医",
    document: SEED_003,
    seed: Some("003_42248a4e41383b34.txt"),
    clause: "三(三)",
    quote: "合理设置起付标准，不同级别医疗机构报销比例适当拉开差距，引导患者到基层就医",
    also: Some("seed 000（000_a2fde266d752d381.txt）二(四)：基本医保待遇政策要继续向基层医疗机构倾斜，引导群众“家门口”就医"),
    since: 0,
};

/// 住院政策范围内基金支付比例约 70%.
pub const IN_SCOPE_SHARE: Norm = Norm {
    title: "居民医保住院政策范围内基金支付比例70%左右",
    document: SEED_000,
    seed: Some("000_a2fde266d752d381.txt"),
    clause: "二(四)",
    quote: "巩固居民医保住院待遇水平，确保政策范围内基金支付比例稳定在70%左右",
    also: Some("seed 003（003_42248a4e41383b34.txt）三(三)：住院政策范围内报销比例职工医保达到85%左右，居民医保达到70%左右"),
    since: 2024,
};

/// The policy format's own rules (checked by `yibao validate` too).
pub const FORMAT: Norm = Norm {
    title: "政策文件格式（docs/policy-format.md）",
    document: "yibao 政策文件格式 (docs/policy-format.md)",
    seed: None,
    clause: "格式要求",
    quote: "比例在0%至100%之间；大病保险分段上限逐段递增；每个参数注明依据和状态",
    also: None,
    since: 0,
};

/// The project's honesty rule: an assumed figure is shown as 参考值.
pub const ASSUMED: Norm = Norm {
    title: "参考值须明示：没有找到依据的参数只是占位，需核实后替换",
    document: "yibao 数据规则（domain.md 第4节：Honesty rules for policy data）",
    seed: None,
    clause: "4",
    quote: "An assumed value is shown to the user as 参考值 (reference value, not yet verified), with the reason.",
    also: None,
    since: 0,
};
