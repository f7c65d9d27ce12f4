"""The competency framework of Permendiknas 27/2008, shipped as data: version 1, active
(the data: staff/framework_data.py)."""

from django.db import migrations

from staff.framework_data import load_shipped_framework, remove_shipped_framework


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_competency_and_training")]

    operations = [migrations.RunPython(load_shipped_framework, remove_shipped_framework)]
