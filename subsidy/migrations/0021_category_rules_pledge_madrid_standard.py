"""Categories 10, 14 and 21 as the fixtures now define them, in an installation that still
has their earlier rules: pledge financing computed per component (interest, evaluation and
insurance fees) with patents or trademarks pledged; Madrid paid per designated country;
贯标 to GB/T 29490-2023 with the certificate's date in the window. A category an
administrator has already given another rule is left as it is. The figures are written
here, not read from the fixture, so the migration does the same whenever it runs."""

import json

from django.db import migrations

#: The earlier rule of each category: only a category still on it is updated.
EARLIER = {"10": "percentage", "14": "per_item", "21": "fixed"}

CATEGORIES = json.loads(r"""
{
    "10": {
        "name_en": "IP pledge financing",
        "funding_rule": "components",
        "rule_field": "",
        "cap": "200000",
        "rate": null,
        "unit_amount": null,
        "fixed_amount": null,
        "rule_settings": {
            "components": [
                {
                    "key": "interest",
                    "label": "贷款贴息",
                    "field": "interest_paid",
                    "rate": "0.30",
                    "cap": "150000"
                },
                {
                    "key": "evaluation",
                    "label": "评估费补助",
                    "field": "evaluation_fee",
                    "rate": "0.50",
                    "cap": "20000"
                },
                {
                    "key": "insurance",
                    "label": "保险费补助",
                    "field": "insurance_fee",
                    "rate": "0.50",
                    "cap": "30000"
                }
            ]
        },
        "description": "知识产权质押融资培育：以专利权或注册商标专用权质押取得贷款的企业，按已付利息、评估费、保险费分项按比例资助，各项不超过其上限，合计不超过类别上限。",
        "form_fields": [
            {
                "name": "project_summary",
                "label": "项目概述",
                "type": "textarea"
            },
            {
                "name": "loan_contract_number",
                "label": "质押贷款合同编号",
                "type": "text"
            },
            {
                "name": "bank",
                "label": "贷款银行",
                "type": "text"
            },
            {
                "name": "loan_amount",
                "label": "贷款金额（元）",
                "type": "decimal"
            },
            {
                "name": "loan_start",
                "label": "贷款发放日期",
                "type": "date",
                "in_window": true,
                "help": "须在本计划实施期内"
            },
            {
                "name": "loan_end",
                "label": "贷款到期日期",
                "type": "date",
                "not_before": "loan_start"
            },
            {
                "name": "patent_numbers",
                "label": "质押专利号",
                "type": "patent_numbers",
                "required": false,
                "one_of": "pledged",
                "help": "每行一个，如 ZL201310699744.2；质押专利号与质押商标注册号至少填写一项"
            },
            {
                "name": "trademark_numbers",
                "label": "质押商标注册号",
                "type": "trademark_numbers",
                "required": false,
                "one_of": "pledged",
                "help": "每行一个，如 12345678（商标注册证上的“第12345678号”）"
            },
            {
                "name": "interest_paid",
                "label": "已付利息（元）",
                "type": "decimal"
            },
            {
                "name": "evaluation_fee",
                "label": "评估费（元）",
                "type": "decimal",
                "required": false,
                "help": "知识产权价值评估费，未发生可不填"
            },
            {
                "name": "insurance_fee",
                "label": "保险费（元）",
                "type": "decimal",
                "required": false,
                "help": "质押融资保证保险等保险费，未发生可不填"
            }
        ],
        "required_attachments": [
            {
                "kind": "application_form",
                "label": "申报书（盖章扫描件）"
            },
            {
                "kind": "loan_contract",
                "label": "质押贷款合同"
            },
            {
                "kind": "pledge_registration",
                "label": "质押登记通知书"
            },
            {
                "kind": "interest_receipt",
                "label": "利息支付凭证（及评估费、保险费支付凭证）"
            }
        ]
    },
    "14": {
        "name_en": "Madrid trademark registrations",
        "funding_rule": "per_country",
        "rule_field": "madrid_registrations",
        "cap": "50000",
        "rate": null,
        "unit_amount": "2000",
        "fixed_amount": null,
        "rule_settings": {
            "max_countries": 10
        },
        "description": "马德里商标培育：通过马德里体系取得商标国际注册的企业，每件按指定国家（地区）数资助，每件最多计10个国家（地区），合计不超过类别上限。",
        "form_fields": [
            {
                "name": "project_summary",
                "label": "项目概述",
                "type": "textarea"
            },
            {
                "name": "madrid_registrations",
                "label": "马德里国际注册",
                "type": "madrid_registrations",
                "help": "每行一件：国际注册号（6至7位数字）及指定国家（地区）数，如 1634567 5；或列出所指定的国家（地区），如 1634567：美国、日本、欧盟"
            }
        ],
        "required_attachments": [
            {
                "kind": "application_form",
                "label": "申报书（盖章扫描件）"
            },
            {
                "kind": "registration_certificates",
                "label": "国际注册证明"
            }
        ]
    },
    "21": {
        "name_en": "Enterprise IP management standard (GB/T 29490-2023) certification",
        "funding_rule": "fixed",
        "rule_field": "",
        "cap": null,
        "rate": null,
        "unit_amount": null,
        "fixed_amount": "30000",
        "rule_settings": {},
        "description": "企业知识产权贯标培育：通过 GB/T 29490-2023《企业知识产权合规管理体系 要求》认证的企业，定额资助；发证日期须在本计划实施期内，同一认证证书只资助一次。GB/T 29490-2013 已于2024年1月1日被 GB/T 29490-2023 代替。",
        "form_fields": [
            {
                "name": "project_summary",
                "label": "项目概述",
                "type": "textarea"
            },
            {
                "name": "standard",
                "label": "认证依据标准",
                "type": "choice",
                "dated_by": "certified_on",
                "choices": [
                    {
                        "value": "GB/T 29490-2023",
                        "label": "GB/T 29490-2023 企业知识产权合规管理体系 要求"
                    },
                    {
                        "value": "GB/T 29490-2013",
                        "label": "GB/T 29490-2013 企业知识产权管理规范（2024年1月1日起被代替）",
                        "replaced_on": "2024-01-01",
                        "replaced_by": "GB/T 29490-2023"
                    }
                ]
            },
            {
                "name": "certificate_number",
                "label": "认证证书编号",
                "type": "text",
                "identifier": "certificate"
            },
            {
                "name": "certification_body",
                "label": "认证机构",
                "type": "text"
            },
            {
                "name": "certified_on",
                "label": "发证日期",
                "type": "date",
                "in_window": true,
                "help": "须在本计划实施期内"
            }
        ],
        "required_attachments": [
            {
                "kind": "application_form",
                "label": "申报书（盖章扫描件）"
            },
            {
                "kind": "certificate",
                "label": "贯标认证证书"
            }
        ]
    }
}
""")


def update_categories(apps, schema_editor):
    Category = apps.get_model("subsidy", "Category")
    for code, fields in CATEGORIES.items():
        category = Category.objects.filter(code=code, funding_rule=EARLIER[code]).first()
        if category is None:
            continue
        if code == "21" and any(f.get("name") == "standard" for f in category.form_fields):
            continue
        for name, value in fields.items():
            setattr(category, name, value)
        category.save()


class Migration(migrations.Migration):

    dependencies = [
        ("subsidy", "0020_identifier_claims_and_rule_settings"),
    ]

    operations = [
        migrations.RunPython(update_categories, migrations.RunPython.noop),
    ]
