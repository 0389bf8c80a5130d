<?php function helper() {}
