//! Proof that a region is data, not code: a policy for 重庆市渝北区 (Chongqing, Yubei District),
//! a city none of the engine's code knows, written as JSON into a temporary directory and run
//! through the real `yibao` binary. It reproduces the district's own published worked example.
//!
//! Source (grade A: official text on the district government's .gov.cn site):
//! 渝北区人民政府网站, 政策问答, 2023-10-30,
//! 《可以举例说明渝北区重特大疾病救助对象基本医保和医疗救助享受费用报销的情况吗?》
//! http://www.ybq.gov.cn/bm/qybj/zwgk_70831/zcwd/202310/t20231030_12491196.html
//!
//! The example: 江某, 低保边缘家庭成员, 城乡居民医保一档, 二级医院住院, 总费用 52000, 政策范围内 50000.
//! 1. 基本医保 (50000 − 300) × 70% = 34790
//! 2. 大额费用医疗救助 (50000 − 34790) × 70% = 10647
//! 3. 倾斜救助 [(50000 − 34790 − 10647) − 3000] × 60% = 937.8
//!    (the source reads “余下医保政策范围内自付费用-起付线元”: a figure is missing before 元;
//!    the formula uses 3000)
//! 4. 共报销 46374.8
//!
//! Only what the example states is published; everything else is marked assumed (参考值) or
//! not covered:
//! - 一档, 二级医院: deductible 300, ratio 70% (published). Other levels: not in the example,
//!   assumed equal to level 2 and flagged. 二档 is not in the file at all.
//! - No yearly cap is stated; the file sets none (the summary says so).
//! - 大病保险 is not in the example: the example goes straight from basic insurance to
//!   assistance, so the layer is `not_covered`, exactly as the example treats it.
//! - 大额费用医疗救助 for 低保边缘: 70%, no threshold (the formula has none).
//! - 倾斜救助: above 3000 at 60%; referral conditions not stated (assumed: none); no cap stated.
//!
//! Does the engine's model reproduce the example? Yes, on every figure:
//! - Critical illness before assistance: the example skips 大病保险; with the layer not covered
//!   the engine pays 0 there and hands the whole burden to assistance, as the example does.
//! - Assistance base = in-scope burden after insurance *including the deductible*:
//!   50000 − 34790 = 15210 still contains the 300 deductible, exactly the engine's base
//!   (domain.md layer 3, seed 002 四(二)).
//! - 倾斜救助 threshold semantics: the example subtracts 3000 from what is left of *this*
//!   admission; the engine subtracts the threshold once a year from the year's cumulative
//!   eligible burden. For a single admission, as here, the two coincide. For two admissions in
//!   a year they would differ if Yubei applied the 3000 per admission: the example does not say
//!   which, so the file marks the threshold's note accordingly.

use std::path::PathBuf;
use std::process::{Command, Output};

const YUBEI_POLICY: &str = r#"{
  "format_version": 2,
  "id": "chongqing-yubei-2023",
  "region": "重庆市渝北区",
  "year": 2023,
  "title": "重庆市渝北区 2023 年城乡居民医保（示例覆盖范围）",
  "scheme": "resident",
  "checked_on": "2026-11-22",
  "summary": "只依据渝北区政府网站2023年10月30日政策问答中的计算示例（A级）：一档、二级医院住院起付线300元、报销比例70%；低保边缘家庭成员大额费用医疗救助70%，不设起付线；倾斜救助3000元以上部分60%。其他级别医院为参考值；二档、年度最高支付限额、门诊、大病保险和各项救助限额示例均未给出，本文件不设限额。",
  "documents": [
    {
      "id": "ybq-qa-2023",
      "title": "可以举例说明渝北区重特大疾病救助对象基本医保和医疗救助享受费用报销的情况吗?",
      "issuer": "重庆市渝北区人民政府网站（政策问答，区医保局栏目）",
      "date": "2023-10-30",
      "url": "http://www.ybq.gov.cn/bm/qybj/zwgk_70831/zcwd/202310/t20231030_12491196.html",
      "grade": "A"
    }
  ],
  "tiers": [
    {
      "id": "tier1",
      "name": "一档"
    }
  ],
  "default_tier": "tier1",
  "identities": [
    "low_income_margin"
  ],
  "not_covered": {
    "critical_illness": "渝北区示例从基本医保直接计算医疗救助，未计算大病保险；渝北区大病保险起付线、分段和限额未找到正式来源"
  },
  "basic": {
    "benefits": [
      {
        "name": "住院",
        "kinds": [
          "inpatient"
        ],
        "deductible": {
          "by": "facility",
          "grassroots": {
            "value": "300",
            "status": "assumed",
            "note": "示例只给出二级医院；其他级别医院的起付线未找到正式来源，暂按二级医院计（参考值）"
          },
          "level1": {
            "value": "300",
            "status": "assumed",
            "note": "示例只给出二级医院；其他级别医院的起付线未找到正式来源，暂按二级医院计（参考值）"
          },
          "level2": {
            "value": "300",
            "status": "published",
            "source": {
              "document": "ybq-qa-2023",
              "clause": "一是城乡居民基本医疗保险报销(医保政策范围内费用-起付线)×报销比例=(50000-300)×70%=34790元（一档、二级医院）"
            }
          },
          "level3": {
            "value": "300",
            "status": "assumed",
            "note": "示例只给出二级医院；其他级别医院的起付线未找到正式来源，暂按二级医院计（参考值）"
          }
        },
        "deductible_rule": {
          "value": "per_visit",
          "status": "assumed",
          "note": "示例只有一次住院，未说明起付线按次还是按年扣；按每次住院计（参考做法）"
        },
        "deductible_pool": "inpatient",
        "ratio": {
          "by": "tier",
          "tier1": {
            "by": "facility",
            "grassroots": {
              "value": "70%",
              "status": "assumed",
              "note": "示例只给出二级医院；其他级别医院的报销比例未找到正式来源，暂按二级医院计（参考值）"
            },
            "level1": {
              "value": "70%",
              "status": "assumed",
              "note": "示例只给出二级医院；其他级别医院的报销比例未找到正式来源，暂按二级医院计（参考值）"
            },
            "level2": {
              "value": "70%",
              "status": "published",
              "source": {
                "document": "ybq-qa-2023",
                "clause": "一是城乡居民基本医疗保险报销(医保政策范围内费用-起付线)×报销比例=(50000-300)×70%=34790元（一档、二级医院）"
              }
            },
            "level3": {
              "value": "70%",
              "status": "assumed",
              "note": "示例只给出二级医院；其他级别医院的报销比例未找到正式来源，暂按二级医院计（参考值）"
            }
          }
        }
      }
    ],
    "not_covered": {
      "outpatient": "渝北区示例只涉及住院；普通门诊统筹的起付线、比例和限额未找到正式来源",
      "chronic_outpatient": "渝北区示例只涉及住院；门诊慢特病的起付线、比例和限额未找到正式来源"
    }
  },
  "assistance": {
    "categories": [
      {
        "identities": [
          "low_income_margin"
        ],
        "rules": [
          {
            "name": "大额费用医疗救助",
            "kinds": {
              "value": [
                "inpatient"
              ],
              "status": "published",
              "source": {
                "document": "ybq-qa-2023",
                "clause": "江某为我区低保边缘家庭成员……因病在我区某二级医院住院"
              }
            },
            "threshold": null,
            "ratio": {
              "value": "70%",
              "status": "published",
              "source": {
                "document": "ybq-qa-2023",
                "clause": "二是大额费用医疗救助医保政策范围内自付费用×大额费用医疗救助报销比例=(50000-34790)×70%=10647元"
              }
            }
          }
        ]
      }
    ]
  },
  "tilted_assistance": {
    "name": "倾斜救助",
    "identities": [
      "low_income_margin"
    ],
    "kinds": {
      "value": [
        "inpatient"
      ],
      "status": "published",
      "source": {
        "document": "ybq-qa-2023",
        "clause": "三是倾斜救助(余下医保政策范围内自付费用-起付线)×倾斜救助报销比例（住院示例）"
      }
    },
    "requires_referral": {
      "value": false,
      "status": "assumed",
      "note": "示例未提转诊条件，按不要求转诊计（参考做法）"
    },
    "threshold": {
      "value": "3000",
      "status": "published",
      "source": {
        "document": "ybq-qa-2023",
        "clause": "三是倾斜救助……=[(50000-34790-10647)-3000]×60%=937.8元"
      },
      "note": "原文“起付线元”漏写数字，公式中为3000元；示例只有一次住院，未说明按次还是按年计算，本文件按年度累计计算"
    },
    "ratio": {
      "value": "60%",
      "status": "published",
      "source": {
        "document": "ybq-qa-2023",
        "clause": "三是倾斜救助……=[(50000-34790-10647)-3000]×60%=937.8元"
      }
    }
  }
}"#;

/// The example's resident and admission.
const EXAMPLE_SCENARIO: &str = r#"{
  "contribution_tier": "tier1",
  "identities": [ "low_income_margin" ],
  "visits": [ { "kind": "inpatient", "level": "level2", "total": "52000", "in_scope": "50000" } ]
}"#;

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-new-region-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn yibao(dir: &PathBuf, args: &[&str]) -> Output {
    // Run from the temporary directory: nothing of the repository's policies is involved.
    Command::new(env!("CARGO_BIN_EXE_yibao")).current_dir(dir).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn yubei_worked_example_is_reproduced_from_data_alone() {
    let dir = temp_dir();
    let policy = dir.join("chongqing-yubei-2023.json");
    let scenario = dir.join("jiang.json");
    std::fs::write(&policy, YUBEI_POLICY).unwrap();
    std::fs::write(&scenario, EXAMPLE_SCENARIO).unwrap();
    let (p, s) = (policy.to_str().unwrap(), scenario.to_str().unwrap());

    let validate = yibao(&dir, &["validate", p]);
    assert_eq!(validate.status.code(), Some(0), "{}", text(&validate));

    let out = yibao(&dir, &["calc", "--policy", p, "--scenario", s, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &r["totals"];
    // The published figures.
    assert_eq!(t["basic"], "34790.00"); // (50000 − 300) × 70%
    assert_eq!(t["assistance"], "10647.00"); // (50000 − 34790) × 70%
    assert_eq!(t["tilted_assistance"], "937.80"); // [(50000 − 34790 − 10647) − 3000] × 60%
    assert_eq!(t["reimbursed"], "46374.80"); // 共报销 46374.8
    // Derived from them (not in the source): the resident pays 3625.20 in scope + 2000 out of scope.
    assert_eq!(t["critical_illness"], "0.00");
    assert_eq!(t["out_of_pocket_in_scope"], "3625.20");
    assert_eq!(t["out_of_pocket"], "5625.20");
    assert_eq!(r["identity"], "low_income_margin");
    let ci = r["layers"].as_array().unwrap().iter().find(|l| l["layer"] == "critical_illness").unwrap();
    assert_eq!(ci["coverage"], "not_covered", "大病保险 is shown as not covered, never as a plain 0");

    // The readable breakdown cites the district's page.
    let readable = text(&yibao(&dir, &["calc", "--policy", p, "--scenario", s]));
    assert!(readable.contains("46,374.80") && readable.contains("ybq-qa-2023"), "{readable}");

    // lint: no errors; the assumed levels and the missing income statistic are warnings.
    let lint = yibao(&dir, &["lint", "--json", p]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint));
    let report: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let findings = report[0]["findings"].as_array().unwrap();
    let assumed: Vec<&str> = findings.iter().filter(|f| f["check"] == "assumed").map(|f| f["path"].as_str().unwrap()).collect();
    assert!(assumed.contains(&"basic.benefits[0].ratio.tier1.level3"), "{assumed:?}");
    assert!(!assumed.iter().any(|p| p.ends_with("level2")), "level 2 is published: {assumed:?}");
    assert!(findings.iter().any(|f| f["check"] == "income" && f["severity"] == "warning"));
    std::fs::remove_dir_all(&dir).ok();
}
