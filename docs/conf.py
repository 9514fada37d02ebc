"Sphinx configuration for the pannet_guideline docs site (built from nbdev-processed notebooks, no Quarto)."
project = "pannet_guideline"
author = "pannet_guideline contributors"
copyright = "2026 onwards, pannet_guideline contributors"
extensions = ["myst_nb"]
nb_execution_mode = "off"            # render the outputs saved in the notebooks; never re-execute
nb_render_markdown_format = "myst"   # show_doc emits text/markdown: parse it with MyST
myst_enable_extensions = ["attrs_inline", "colon_fence", "dollarmath"]
myst_all_links_external = True      # doc links are relative .html paths inside the built site
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "*.yml"]
html_theme = "furo"
html_title = "pannet_guideline"
html_theme_options = {"announcement": "Not a medical device: for research, audit and education; not clinical advice."}
suppress_warnings = ["mystnb.unknown_mime_type"]
html_static_path = ["_static"]
html_css_files = ["pathways.css"]  # rule tables and flowchart figures
