from setuptools import setup
import setuptools
from configparser import ConfigParser

assert setuptools.__version__ >= "36.2"

# settings.ini is the single source of package metadata (nbdev 2 layout)
config = ConfigParser(delimiters=["="])
config.read("settings.ini", encoding="utf-8")
cfg = config["DEFAULT"]

cfg_keys = "version description keywords author author_email".split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, f"missing expected setting: {o}"
setup_cfg = {o: cfg[o] for o in cfg_keys}

licenses = {"apache2": "Apache-2.0"}  # SPDX expression
statuses = ["1 - Planning", "2 - Pre-Alpha", "3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature", "7 - Inactive"]
py_versions = "3.10 3.11 3.12 3.13".split()

requirements = cfg.get("requirements", "").split()
dev_requirements = cfg.get("dev_requirements", "").split()
lic = licenses.get(cfg["license"].lower(), cfg["license"])

setuptools.setup(
    name=cfg["lib_name"],
    license=lic,
    classifiers=["Development Status :: " + statuses[int(cfg["status"])],
                 "Intended Audience :: " + cfg["audience"].title(),
                 "Natural Language :: " + cfg["language"].title()]
                + ["Programming Language :: Python :: " + o for o in py_versions[py_versions.index(cfg["min_python"]):]],
    url=cfg["git_url"],
    packages=setuptools.find_namespace_packages(include=["pannet_guideline", "pannet_guideline.*"]),  # data folders included
    include_package_data=True,
    package_data={"pannet_guideline": ["data/*/*", "data/*"], "": ["*"]},
    install_requires=requirements,
    extras_require={"dev": dev_requirements},
    python_requires=">=" + cfg["min_python"],
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    zip_safe=False,
    entry_points={"console_scripts": cfg.get("console_scripts", "").split(), "nbdev": [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']},
    **setup_cfg)
