from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0002_person_email_and_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="must change the password"),
        ),
        migrations.AlterField(
            model_name="loginfailure",
            name="username",
            field=models.CharField(max_length=150),
        ),
        migrations.AddField(
            model_name="loginfailure",
            name="client",
            field=models.CharField(default="*", max_length=24),
        ),
        migrations.AddConstraint(
            model_name="loginfailure",
            constraint=models.UniqueConstraint(fields=("username", "client"), name="login_failure_name_client"),
        ),
    ]
