import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_policycomms", "0012_data_subject_requests"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="draftpolicypage",
            options={
                "permissions": [
                    ("view_restricted_content", "Can view restricted content (state secrets)")
                ],
                "verbose_name": "draft policy",
                "verbose_name_plural": "draft policies",
            },
        ),
        migrations.AddField(
            model_name="draftpolicydocument",
            name="classification",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not restricted"),
                    ("mat", "Confidential (Mật)"),
                    ("toi_mat", "Secret (Tối mật)"),
                    ("tuyet_mat", "Top secret (Tuyệt mật)"),
                ],
                default="",
                help_text="State secrets never reach the portal: a restricted item is left out of every public page, feed, download and the open-data API.",
                max_length=16,
                verbose_name="security classification",
            ),
        ),
        migrations.AddField(
            model_name="draftpolicypage",
            name="classification",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not restricted"),
                    ("mat", "Confidential (Mật)"),
                    ("toi_mat", "Secret (Tối mật)"),
                    ("tuyet_mat", "Top secret (Tuyệt mật)"),
                ],
                default="",
                help_text="State secrets never reach the portal: a restricted item is left out of every public page, feed, download and the open-data API.",
                max_length=16,
                verbose_name="security classification",
            ),
        ),
        migrations.AlterField(
            model_name="draftpolicypage",
            name="body",
            field=wagtail.fields.StreamField(
                [("article", 4)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": 'As written in the draft, for example "Điều 1".',
                            "label": "Article number",
                            "max_length": 40,
                        },
                    ),
                    1: ("wagtail.blocks.CharBlock", (), {"label": "Heading", "max_length": 500}),
                    2: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["bold", "italic", "ol", "ul", "link", "document-link"],
                            "label": "Text",
                        },
                    ),
                    3: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("", "Not restricted"),
                                ("mat", "Confidential (Mật)"),
                                ("toi_mat", "Secret (Tối mật)"),
                                ("tuyet_mat", "Top secret (Tuyệt mật)"),
                            ],
                            "help_text": "State secrets never reach the portal: a restricted item is left out of every public page, feed, download and the open-data API.",
                            "label": "Security classification",
                            "required": False,
                        },
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("number", 0), ("heading", 1), ("body", 2), ("classification", 3)]],
                        {},
                    ),
                },
                verbose_name="draft text",
            ),
        ),
    ]
