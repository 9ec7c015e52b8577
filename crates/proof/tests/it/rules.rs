//! One group of tests per category, on sentences of the kind the
//! publishing review sees. Each would fail if its rule broke.

use taizhang_proof::{check, Category, Config, Finding, Severity, UnitLexicon};

fn findings(text: &str, category: Category) -> Vec<Finding> {
    check(text, &Config::default()).into_iter().filter(|f| f.category == category).collect()
}

fn first_fix(text: &str, category: Category) -> Option<(String, String)> {
    findings(text, category)
        .into_iter()
        .next()
        .map(|f| (f.original, f.suggestions.first().cloned().unwrap_or_default()))
}

fn pair(a: &str, b: &str) -> Option<(String, String)> {
    Some((a.to_string(), b.to_string()))
}

// ---- typo -------------------------------------------------------------

/// The mistakes the product exists to catch, as named in its mission.
#[test]
fn typo_the_classic_official_document_mistakes() {
    let cases = [
        ("各级党组织要切实加强意思形态工作。", "意思形态", "意识形态"),
        ("严格遵守党内政治生活准侧。", "准侧", "准则"),
        ("认真落实一岗双则，履行主体责认。", "一岗双则", "一岗双责"),
        ("支部按时召开三会一科。", "三会一科", "三会一课"),
        ("建立风险隐患台帐。", "台帐", "台账"),
    ];
    for (text, wrong, right) in cases {
        assert_eq!(first_fix(text, Category::Typo), pair(wrong, right), "{text}");
    }
    // Right in context, and a look-alike across a word boundary, stay quiet.
    assert!(findings("这是标准侧面图。", Category::Typo).is_empty());
    assert!(findings("加强意识形态工作，严格执行准则。", Category::Typo).is_empty());
}

#[test]
fn typo_homophones_in_official_terms() {
    assert_eq!(first_fix("坚决反对行式主义和官僚主义。", Category::Typo), pair("行式主义", "形式主义"));
    assert_eq!(first_fix("党员要发挥先锋摸范作用。", Category::Typo), pair("摸范作用", "模范作用"));
    assert_eq!(first_fix("要提高工作效律。", Category::Typo), pair("工作效律", "工作效率"));
    assert_eq!(first_fix("提高党员干部的政治素治。", Category::Typo), pair("政治素治", "政治素质"));
}

#[test]
fn typo_homophone_words_from_the_pinyin_index() {
    // A real word written for its homophone (懂事 for 董事), and a
    // reading only a heteronym gives (查 zhā).
    assert_eq!(first_fix("要严格执行懂事会决议。", Category::Typo), pair("懂事会", "董事会"));
    assert_eq!(first_fix("请按时报送自渣报告。", Category::Typo), pair("自渣报告", "自查报告"));
}

#[test]
fn typo_findings_are_errors_with_reason_and_span() {
    let text = "坚决反对行式主义。";
    let f = &findings(text, Category::Typo)[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!((f.start, f.end), (4, 8));
    assert!(f.reason.contains("同音"), "{}", f.reason);
}

#[test]
fn typo_stays_quiet_on_correct_official_text() {
    for text in [
        "本次会议研究部署了下一阶段的重点工作。",
        "要认真贯彻落实会议精神，推动工作落到实处。",
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
        "各级党组织要切实履行全面从严治党主体责任。",
        "马丁·路德发起宗教改革，新教由此产生。",
    ] {
        assert!(findings(text, Category::Typo).is_empty(), "{text}: {:?}", findings(text, Category::Typo));
    }
}

#[test]
fn typo_xinjiao_is_decided_by_context() {
    let wrong = "要尊重和保护新教群众的合法权益，党员不得新教。";
    let f = findings(wrong, Category::Typo);
    assert!(
        f.iter().any(|f| f.original == "新教" && f.suggestions[0] == "信教" && f.reason.contains("上下文")),
        "{f:?}"
    );
    let right = "十六世纪宗教改革后，基督教分为天主教、东正教和新教。";
    assert!(findings(right, Category::Typo).is_empty());
}

#[test]
fn typo_unit_lexicon_allows_names_and_adds_pairs() {
    let src = r#"
allowed = ["行式主义"]
[[confusion]]
wrong = "高牌店"
right = "高碑店"
reason = "地名误写"
"#;
    let lexicon = UnitLexicon::from_toml(src, "unit.toml".as_ref()).unwrap();
    let config = Config::default().with_lexicon(lexicon);
    let f = check("坚决反对行式主义。高牌店市人民政府：", &config);
    let typos: Vec<_> = f.iter().filter(|f| f.category == Category::Typo).collect();
    assert_eq!(typos.len(), 1, "{typos:?}");
    assert_eq!(typos[0].suggestions[0], "高碑店");
    assert_eq!(typos[0].reason, "地名误写");
}

// ---- duplicate / missing ----------------------------------------------

#[test]
fn duplicate_characters_and_words() {
    assert_eq!(first_fix("我们们要加强学习。", Category::Duplicate), pair("们们", "们"));
    assert_eq!(first_fix("要加强加强理论学习。", Category::Duplicate), pair("加强加强", "加强"));
    assert_eq!(first_fix("这是会议的的主要内容。", Category::Duplicate), pair("的的", "的"));
}

#[test]
fn duplicate_allows_reduplication() {
    for text in [
        "大家常常讨论，人人参与，天天学习。",
        "把问题弄得清清楚楚、明明白白。",
        "为了达到目的的手段必须合法。",
        "党支部召开大会会议议程如下。",
        "谢谢大家，我们渐渐适应了。",
    ] {
        assert!(findings(text, Category::Duplicate).is_empty(), "{text}: {:?}", findings(text, Category::Duplicate));
    }
}

#[test]
fn missing_in_fixed_patterns() {
    assert_eq!(first_fix("现将有关情况如下：", Category::Missing), pair("情况如下", "情况报告如下"));
    assert_eq!(first_fix("请遵照执行。特此通。", Category::Missing), pair("特此通", "特此通知"));
    for text in ["现将有关情况报告如下：", "现将有关事项通知如下：", "特此通知。", "特此函复。"]
    {
        assert!(findings(text, Category::Missing).is_empty(), "{text}");
    }
}

#[test]
fn missing_inner_character_of_a_long_fixed_phrase() {
    assert_eq!(
        first_fix("各级党组织要压实全面从治党主体责任。", Category::Missing),
        pair("全面从治党主体责任", "全面从严治党主体责任")
    );
    // Shorter phrases are often shortened on purpose.
    for text in ["按有关规定办理。", "建设全国统一市场。", "落实全面从严治党主体责任。"] {
        assert!(findings(text, Category::Missing).is_empty(), "{text}");
    }
}

#[test]
fn typo_one_character_off_a_fixed_phrase() {
    assert_eq!(first_fix("坚持民主集中治原则。", Category::Typo), pair("民主集中治", "民主集中制"));
}

#[test]
fn typo_leaves_fixed_phrases_place_names_and_organ_codes_alone() {
    for text in [
        "党的十八届三中全会明确提出实行赔偿制度。",
        "西安市鄠邑区蒋村街道办事处。",
        "你省《关于设立示范区的请示》（冀政呈〔2019〕6号）收悉。",
    ] {
        assert!(findings(text, Category::Typo).is_empty(), "{text}: {:?}", findings(text, Category::Typo));
    }
}

// ---- formulation ------------------------------------------------------

#[test]
fn formulation_congresses_and_thought() {
    assert_eq!(
        first_fix("深入学习十九届四中全会精神。", Category::Formulation),
        pair("十九届四中全会", "党的十九届四中全会")
    );
    assert!(findings("深入学习党的十九届四中全会精神。", Category::Formulation).is_empty());
    assert_eq!(
        first_fix("以习近平新时代中国特色社会主义理论为指导。", Category::Formulation),
        pair("习近平新时代中国特色社会主义理论", "习近平新时代中国特色社会主义思想")
    );
    assert_eq!(
        first_fix("践行三个代表重要思想", Category::Formulation),
        pair("三个代表重要思想", "“三个代表”重要思想")
    );
}

#[test]
fn formulation_document_number_brackets() {
    let f = findings("依据国办发(2023)5号文件和京政发【2021】12号文件。", Category::Formulation);
    let fixes: Vec<_> = f.iter().map(|f| f.suggestions[0].as_str()).collect();
    assert_eq!(fixes, ["〔2023〕", "〔2021〕"]);
    assert!(f.iter().all(|f| f.severity == Severity::Error));
    assert!(findings("依据国办发〔2023〕5号文件。", Category::Formulation).is_empty());
    // The brackets are reported once, as a formulation problem.
    assert!(findings("国办发(2023)5号", Category::Punctuation).is_empty());
}

#[test]
fn formulation_unit_rules() {
    let src = "[[formulation]]\nwrong = \"县委办\"\nright = \"县委办公室\"\n";
    let config = Config::default().with_lexicon(UnitLexicon::from_toml(src, "u.toml".as_ref()).unwrap());
    let f: Vec<_> = check("请县委办牵头。县委办公室负责。", &config)
        .into_iter()
        .filter(|f| f.category == Category::Formulation)
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].start, 1);
}

// ---- number -----------------------------------------------------------

#[test]
fn number_dates_without_leading_zeros() {
    assert_eq!(first_fix("2023年03月05日印发", Category::Number), pair("2023年03月05日", "2023年3月5日"));
    assert_eq!(first_fix("于2023年09月召开", Category::Number), pair("2023年09月", "2023年9月"));
    assert!(findings("2023年3月5日印发，2023年10月20日施行。", Category::Number).is_empty());
    let mut config = Config::default();
    config.official_document = false;
    assert!(check("2023年03月05日", &config).iter().all(|f| f.category != Category::Number));
}

#[test]
fn number_full_width_digits_and_units() {
    assert_eq!(first_fix("共２０２３人", Category::Number), pair("２０２３", "2023"));
    assert_eq!(first_fix("资金5千元", Category::Number), pair("5千", "5000"));
    assert!(findings("资金5000元，3万人，5千万元", Category::Number).is_empty());
}

// ---- punctuation ------------------------------------------------------

#[test]
fn punctuation_half_width_in_chinese() {
    let f = findings("我们要加强学习,提高认识;做到学以致用.", Category::Punctuation);
    let fixes: Vec<_> = f.iter().map(|f| f.suggestions[0].as_str()).collect();
    assert_eq!(fixes, ["，", "；", "。"]);
    assert!(findings("时间为10:30，网址是www.gov.cn，比例为1,000。", Category::Punctuation).is_empty());
}

#[test]
fn punctuation_unmatched_and_nested() {
    let f = findings("会议的“主要内容”和“议程。", Category::Punctuation);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].start, 10);
    assert!(f[0].suggestions.is_empty());
    let f = findings("学习《关于《民法典》的说明》", Category::Punctuation);
    let fixes: Vec<_> = f.iter().map(|f| f.suggestions[0].as_str()).collect();
    assert_eq!(fixes, ["〈", "〉"]);
    assert!(findings("学习《关于〈民法典〉的说明》和（附件）。", Category::Punctuation).is_empty());
    // A quotation over two paragraphs opens each and closes at the end.
    assert!(findings("他说：“第一段。\n“第二段。”", Category::Punctuation).is_empty());
}

#[test]
fn punctuation_repeated() {
    assert_eq!(first_fix("加强学习，，提高认识", Category::Punctuation), pair("，，", "，"));
    assert_eq!(first_fix("等等。。。", Category::Punctuation), pair("。。。", "……"));
    assert!(findings("等等……", Category::Punctuation).is_empty());
}

#[test]
fn punctuation_heading_numbers() {
    let text = "一、总体要求\n（一）指导思想\n1.坚持党的领导\n2、加强统筹\n（1）明确分工\n（3）压实责任\n（二）基本原则\n1.依法依规\n三、保障措施";
    let f = findings(text, Category::Punctuation);
    let got: Vec<_> = f.iter().map(|f| (f.original.as_str(), f.suggestions[0].as_str())).collect();
    assert_eq!(got, [("2、", "2."), ("（3）", "（2）"), ("三、", "二、")]);
    assert!(findings(
        "一、总体要求\n（一）指导思想\n1.坚持\n2.加强\n（二）原则\n1.依法\n二、措施",
        Category::Punctuation
    )
    .is_empty());
}

// ---- wording ----------------------------------------------------------

#[test]
fn wording_respectful_terms() {
    let f = findings("关心残废人、聋哑人和弱智儿童。", Category::Wording);
    let got: Vec<_> = f.iter().map(|f| (f.original.as_str(), f.suggestions[0].as_str())).collect();
    assert_eq!(got, [("残废人", "残疾人"), ("聋哑人", "聋人"), ("弱智", "智力障碍者")]);
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
    assert!(findings("关心残疾人和聋人。", Category::Wording).is_empty());
}

// ---- personal_info ----------------------------------------------------

#[test]
fn personal_info_is_error_without_suggestions() {
    let text = "身份证号11010519491231002X，手机138-1234-5678，卡号6222021234567890128。";
    let f = findings(text, Category::PersonalInfo);
    let got: Vec<_> = f.iter().map(|f| f.original.as_str()).collect();
    assert_eq!(got, ["11010519491231002X", "138-1234-5678", "6222021234567890128"]);
    assert!(f.iter().all(|f| f.severity == Severity::Error && f.suggestions.is_empty()));
}

#[test]
fn personal_info_checks_checksums() {
    // Wrong ID check digit, Luhn failure, too many digits for a phone.
    let text = "编号110105194912310021，卡号6222021234567890127，代码138123456789。";
    assert!(findings(text, Category::PersonalInfo).is_empty());
}

// ---- secrecy ----------------------------------------------------------

#[test]
fn secrecy_markings_must_not_be_published() {
    for (text, original) in
        [("机密★1年\n关于……的报告", "机密★1年"), ("绝密\n正文", "绝密"), ("内部资料　注意保存", "内部资料")]
    {
        let f = findings(text, Category::Secrecy);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!(f[0].original, original);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].reason.contains("不得公开发布"));
        assert!(f[0].suggestions.is_empty());
    }
    assert!(findings("党员要保守党的秘密，严守机密。", Category::Secrecy).is_empty());
}

// ---- configuration ----------------------------------------------------

#[test]
fn disabled_categories_stay_quiet() {
    let config = Config::only(&[Category::Wording]);
    let f = check("我们们,残废人2023年03月05日", &config);
    assert!(f.iter().all(|f| f.category == Category::Wording), "{f:?}");
}

#[test]
fn lexicon_errors_name_the_line() {
    let err = UnitLexicon::from_toml("allowed = [\"张三\"]\n\n[[confusion]]\nwrong = \"甲\"\n", "u.toml".as_ref())
        .unwrap_err();
    assert!(err.to_string().contains("第 3 行") || err.to_string().contains("第 4 行"), "{err}");
    let err = UnitLexicon::from_toml("allowed = [\"张三\"]\nallowed_typo = 1\n", "u.toml".as_ref()).unwrap_err();
    assert!(err.to_string().contains("第 2 行"), "{err}");
    let err = UnitLexicon::from_toml("[[wording]]\nwrong = \"甲\"\nright = \"甲\"\n", "u.toml".as_ref()).unwrap_err();
    assert!(err.to_string().contains("第 1 行"), "{err}");
}
